import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Etsy API keys (keystrings): 24 characters next to an etsy name. */
export const etsyRules: readonly Rule[] = [
  keyedSecret({
    id: 'etsy-access-token',
    description: 'Etsy API keystring or access token (24 characters) assigned to an etsy key name.',
    names: ['etsy'],
    value: '[a-z0-9]{24}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'ETSY_API_KEY=y0uk1if1z3eheylnx6v07i0p',
      '<EtsyKey>\n    y0uk1if1z3eheylnx6v07i0p\n</EtsyKey>',
    ],
    falsePositives: ['etsy: y0uk1if1z3eheylnx6v07i0', 'ETSY_SHOP=acme-prints'],
  }),
];
