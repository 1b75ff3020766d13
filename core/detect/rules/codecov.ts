import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Codecov upload tokens: 32 characters (often a UUID without dashes) next to a codecov name. */
export const codecovRules: readonly Rule[] = [
  keyedSecret({
    id: 'codecov-access-token',
    description: 'Codecov upload or access token (32 characters) assigned to a codecov key name.',
    names: ['codecov'],
    value: '[a-z0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'CODECOV_TOKEN=5vcq8r60gp0pksakg0z33rf4i5nj55f4',
      'codecov_token: "5vcq8r60gp0pksakg0z33rf4i5nj55f4"',
    ],
    falsePositives: ['CODECOV_FLAGS=unittests', 'codecov: 5vcq8r60gp0pksakg0z33rf4i5nj55f'],
  }),
];
