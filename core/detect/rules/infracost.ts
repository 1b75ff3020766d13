import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Infracost API keys: `ico-` + 32 characters. */
export const infracostRules: readonly Rule[] = [
  prefixedToken({
    id: 'infracost-api-token',
    description: 'Infracost API key (ico- + 32 characters).',
    keywords: ['ico-'],
    body: 'ico-[A-Za-z0-9]{32}',
    // Not a file name (`favicon.ico-<hash>.png`).
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 3,
    truePositives: ['INFRACOST_API_KEY=ico-OumV27MOTN7VYr9EyDK8IGkwZI3ZAO4B'],
    falsePositives: [
      'ref ico-OumV27MOTN7VYr9EyDK8IGkwZI3ZAO4',
      'img/box.ico-OumV27MOTN7VYr9EyDK8IGkwZI3ZAO4B.png',
      'ref ico-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
];
