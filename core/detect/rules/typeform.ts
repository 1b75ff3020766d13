import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Typeform personal access tokens: `tfp_` + 59 characters. */
export const typeformRules: readonly Rule[] = [
  {
    id: 'typeform-api-token',
    category: 'secret',
    description: 'Typeform personal access token (tfp_ + 59 characters).',
    keywords: ['tfp_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])tfp_[A-Za-z0-9_.=-]{59}(?![A-Za-z0-9_.=-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TYPEFORM_TOKEN=tfp_jWxTGXLR9NDnimPINUO3_7fz9OwleKyDnT4DVepb9Bx7dj724JKP5J2Brrp',
      'Authorization: Bearer tfp_61iRW69BdWUr0SL4m0Ajj2-P5co70Kg4cDbSedEcRFL5zKmB7BE6l6dYscs',
    ],
    falsePositives: [
      'ref tfp_XE5xMgsys0Zb5iIQQqUWUMRmT5UUZ9',
      'ref tfp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
];
