import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Prefect Cloud API keys: `pnu_` + 36 alphanumerics. */
export const prefectRules: readonly Rule[] = [
  {
    id: 'prefect-api-token',
    category: 'secret',
    description: 'Prefect Cloud API key (pnu_ + 36 alphanumerics).',
    keywords: ['pnu_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])pnu_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'PREFECT_API_KEY=pnu_zXUFrHSpMgj8MI6XkE9FZTe3epYaag8nJOft',
      'prefect cloud login -k pnu_X8DcFrfiMpZrAmu00Cq11RKocsEIoIGE34Qe',
    ],
    falsePositives: ['ref pnu_JQKD2HBEs3HJEDNg3sNB', 'ref pnu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
];
