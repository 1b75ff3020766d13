import type { Rule } from '../types.js';

/** DigitalOcean tokens: personal (dop_v1_), OAuth (doo_v1_) and refresh (dor_v1_), then 64 hex characters. */
export const digitaloceanRules: readonly Rule[] = [
  {
    id: 'digitalocean-token',
    category: 'secret',
    description: 'DigitalOcean personal access, OAuth or refresh token (do[por]_v1_ + 64 hex).',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    truePositives: [
      'DIGITALOCEAN_TOKEN=dop_v1_f27c10b65ce754c740a90b74e683c315ba8d04c06d1ab15a8926f5aa58ea04c6',
    ],
    falsePositives: ['ref dop_v1_f27c10b65ce754c740a90b74e683c315', 'ref dop_v1_' + '0'.repeat(64)],
  },
];
