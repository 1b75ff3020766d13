import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Random keys of 26 uppercase alphanumerics have digits; an upper-case name such as API-GATEWAY… does not. */
function hasDigit(value: string): boolean {
  return /[0-9]/.test(value);
}

/** Octopus Deploy API keys: `API-` + 26 uppercase alphanumerics. */
export const octopusDeployRules: readonly Rule[] = [
  {
    id: 'octopus-deploy-api-key',
    category: 'secret',
    description: 'Octopus Deploy API key (API- + 26 uppercase alphanumerics).',
    keywords: ['api-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])API-[A-Z0-9]{26}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    validate: hasDigit,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'OCTOPUS_API_KEY=API-9BJY9GUGP763DR9Z5Z6E4HMYAK',
      'octo push --apiKey API-KKOGE9LF4XT67YNO097QDZ9CH2 --server https://octopus.internal.test',
    ],
    falsePositives: [
      'ref API-PS05OKVZ2JZSO7QHNECN', // too short
      'ref API-ABCDEFGHIJKLMNOPQRSTUVWXYZ', // no digit
      'ref API-XXXXXXXXXXXXXXXXXXXXXXXXXX',
    ],
  },
];
