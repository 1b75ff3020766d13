import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Chargebee API keys: `test_` / `live_` + 32-34 characters, next to a chargebee name. */
export const chargebeeRules: readonly Rule[] = [
  keyedSecret({
    id: 'chargebee-access-token',
    description: 'Chargebee API key (test_ / live_ + 32-34 characters) assigned to a chargebee key name.',
    names: ['chargebee'],
    value: '(?:test|live)_[A-Za-z0-9]{32,34}',
    minEntropy: 3,
    truePositives: ['CHARGEBEE_API_KEY=live_jigRVo9lP8QXS7hn0qgz2TPaRvdTcLJz'],
    falsePositives: ['chargebee: live_jigRVo9lP8QXS7hn0qgz2TPaRvdTc', 'CHARGEBEE_SITE=acme-test'],
  }),
];
