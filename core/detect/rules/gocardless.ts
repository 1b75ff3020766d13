import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** GoCardless live access tokens: `live_` + 40 characters, next to a gocardless name. */
export const gocardlessRules: readonly Rule[] = [
  keyedSecret({
    id: 'gocardless-api-token',
    description: 'GoCardless live access token (live_ + 40 characters) assigned to a gocardless key name.',
    names: ['gocardless'],
    value: 'live_[a-z0-9_=-]{40}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['GOCARDLESS_ACCESS_TOKEN=live_HHs1J_S_nFzef0Ub7ZbT6tKLN8HZps12H3zqPmS1'],
    falsePositives: [
      'gocardless: live_HHs1J_S_nFzef0Ub7ZbT6tKLN8HZps12H3zqPmS',
      'GOCARDLESS_ENVIRONMENT=live',
    ],
  }),
];
