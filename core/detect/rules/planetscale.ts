import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** PlanetScale service tokens (`pscale_tkn_`), OAuth tokens (`pscale_oauth_`) and passwords (`pscale_pw_`). */
export const planetscaleRules: readonly Rule[] = [
  {
    id: 'planetscale-api-token',
    category: 'secret',
    description: 'PlanetScale service token (pscale_tkn_ + 32–64 characters).',
    keywords: ['pscale_tkn_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])pscale_tkn_[A-Za-z0-9_=.-]{32,64}(?![A-Za-z0-9_=.-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'PLANETSCALE_SERVICE_TOKEN=pscale_tkn_eeGnZW0yRuJEjJdRHRp7E02lIM-_SppPeiDwttZ4-d8',
      'pscale auth login --service-token pscale_tkn_O2HxHQJEglQnh_O9ungaRlwq9PhlmaDZL6N6Z9cb74j',
    ],
    falsePositives: [
      'ref pscale_tkn_eWLXX3b2D3S0XwelfD49',
      'ref pscale_tkn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  {
    id: 'planetscale-oauth-token',
    category: 'secret',
    description: 'PlanetScale OAuth token (pscale_oauth_ + 32–64 characters).',
    keywords: ['pscale_oauth_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])pscale_oauth_[A-Za-z0-9_=.-]{32,64}(?![A-Za-z0-9_=.-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['Authorization: pscale_oauth_X59GHg94BWRxhYmwa7KocHx-1MEtWjnVPbo7Y7Ju8O2'],
    falsePositives: ['ref pscale_oauth_iMlu2IWBJ_V6A2s0'],
  },
  {
    id: 'planetscale-password',
    category: 'secret',
    description: 'PlanetScale database password (pscale_pw_ + 32–64 characters).',
    keywords: ['pscale_pw_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])pscale_pw_[A-Za-z0-9_=.-]{32,64}(?![A-Za-z0-9_=.-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'DATABASE_PASSWORD=pscale_pw_1Qd1s6Yyq-ptQ8_m_DXJPBTLufPqJ1wgl2jAFz2Iht-',
      '<password>pscale_pw_ivRUi25Y2QqY1JPtIh1PoL5eMz1yooHFjA26uedkJt0</password>',
    ],
    falsePositives: ['ref pscale_pw_Mz8k6QhZaMYrGY5P', 'ref pscale_pw_<your-password>'],
  },
];
