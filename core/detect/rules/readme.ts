import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** ReadMe API keys: `rdme_` + 70 lowercase alphanumerics. */
export const readmeRules: readonly Rule[] = [
  {
    id: 'readme-api-token',
    category: 'secret',
    description: 'ReadMe API key (rdme_ + 70 lowercase alphanumerics).',
    keywords: ['rdme_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])rdme_[a-z0-9]{70}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'README_API_KEY=rdme_i4xqyoeqz9lw1vti6wdzuiqlnq3rabmy1z7cectiro46oxrwhesz1tbdo7b8m4vej8fskx',
      'rdme openapi --key=rdme_654t32zta5o8l1itdbyuexq0bggdgt823ontj1mng9kxxf6ovsltlcr8pycjrfq8duvkeb',
    ],
    falsePositives: [
      'ref rdme_d2ejwvi5up6r1o7wlov2b3j4wwpgj5ziq9adc7je',
      'ref rdme_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
];
