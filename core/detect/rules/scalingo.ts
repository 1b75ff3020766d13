import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Scalingo API tokens: `tk-us-` + 48 characters. */
export const scalingoRules: readonly Rule[] = [
  {
    id: 'scalingo-api-token',
    category: 'secret',
    description: 'Scalingo API token (tk-us- + 48 characters).',
    keywords: ['tk-us-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])tk-us-[A-Za-z0-9_-]{48}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SCALINGO_API_TOKEN=tk-us-Kui4VsOfogarFYlFNFpCL_2PNEgC9b4beGNNtUjs-MoNHIID',
      'scalingo login --api-token tk-us-mQVdEQ9eRNp0DeaLUsCcR9-o-UQwxWNJVLDgsEZyGIMuin97',
    ],
    falsePositives: [
      'ref tk-us-LiZX2c4VtgyyIrIe49c2Ca6y-3uOHf',
      'ref tk-us-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
];
