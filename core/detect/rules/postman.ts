import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Postman API keys: `PMAK-` + 24 hex + `-` + 34 hex. */
export const postmanRules: readonly Rule[] = [
  {
    id: 'postman-api-token',
    category: 'secret',
    description: 'Postman API key (PMAK-<24 hex>-<34 hex>).',
    keywords: ['pmak-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'POSTMAN_API_KEY=PMAK-a774b4ec7ecc38c8b222dafa-f1df6df58c9bd4a4a7e892324f1c442452',
      'X-Api-Key: PMAK-3f2a67c83e4eb3ef383059ec-34618a977d952e93eb877aa8ae0da1f317',
    ],
    falsePositives: [
      'ref PMAK-19104a6034f46f1a8b460124',
      'ref PMAK-547bb5854dcadee987165962-f8362f45625d14be16b8',
    ],
  },
];
