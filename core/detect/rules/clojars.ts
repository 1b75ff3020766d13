import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Clojars deploy tokens: `CLOJARS_` + 60 characters. */
export const clojarsRules: readonly Rule[] = [
  prefixedToken({
    id: 'clojars-api-token',
    description: 'Clojars deploy token (CLOJARS_ + 60 characters).',
    keywords: ['clojars_'],
    body: 'CLOJARS_[a-z0-9]{60}',
    flags: 'i',
    minEntropy: 2,
    truePositives: [
      'CLOJARS_PASSWORD=CLOJARS_i047roonnfbahs79joyqk4v5kt2miymq4110pe4mcqcswpf2a8eix8a73ni6',
      ':password "CLOJARS_i047roonnfbahs79joyqk4v5kt2miymq4110pe4mcqcswpf2a8eix8a73ni6"',
    ],
    falsePositives: [
      'ref CLOJARS_i047roonnfbahs79joyqk4v5kt2miymq4110pe4mcqcswpf2a8eix8a73ni', // 59 characters
      'export CLOJARS_USERNAME=acme',
    ],
  }),
];
