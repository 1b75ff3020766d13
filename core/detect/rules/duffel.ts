import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Duffel API tokens: `duffel_test_` or `duffel_live_` + 43 characters. */
export const duffelRules: readonly Rule[] = [
  prefixedToken({
    id: 'duffel-api-token',
    description: 'Duffel API token (duffel_test_ / duffel_live_ + 43 characters).',
    keywords: ['duffel_test_', 'duffel_live_'],
    body: 'duffel_(?:test|live)_[A-Za-z0-9_=-]{43}',
    minEntropy: 3,
    truePositives: ['DUFFEL_ACCESS_TOKEN=duffel_live_PGBw2nikZ3h0NOEBLqet21H87NDGyv07Mk_c-B7Ergy'],
    falsePositives: [
      'ref duffel_live_PGBw2nikZ3h0NOEBLqet21H87NDGyv07Mk_c-B7Erg', // 42 characters
      'ref duffel_prod_PGBw2nikZ3h0NOEBLqet21H87NDGyv07Mk_c-B7Ergy',
    ],
  }),
];
