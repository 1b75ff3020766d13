import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Frame.io developer tokens: `fio-u-` + 64 characters. */
export const frameioRules: readonly Rule[] = [
  prefixedToken({
    id: 'frameio-api-token',
    description: 'Frame.io API token (fio-u- + 64 characters).',
    keywords: ['fio-u-'],
    body: 'fio-u-[A-Za-z0-9_=-]{64}',
    minEntropy: 3,
    truePositives: ['FRAMEIO_TOKEN=fio-u-HCxrfklwUmlNnMYZSbgQ8I9h2MSjg0Pt7CAakc22JuJtEtuoVSOoOoefcWe4Tq9q'],
    falsePositives: [
      'ref fio-u-HCxrfklwUmlNnMYZSbgQ8I9h2MSjg0Pt7CAakc22JuJtEtuoVSOoOoefcWe4Tq9',
      'ref fio-u-settings',
    ],
  }),
];
