import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Coinbase access tokens: 64 characters next to a coinbase name. */
export const coinbaseRules: readonly Rule[] = [
  keyedSecret({
    id: 'coinbase-access-token',
    description: 'Coinbase access token (64 characters) assigned to a coinbase key name.',
    names: ['coinbase'],
    value: '[a-z0-9_-]{64}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['COINBASE_ACCESS_TOKEN=LHfrEMlhq6ADtnFDgBkULHpeiQqiZFxmjxh-IzSuhg36TCpiS_kB4NyfWfrBrrTM'],
    falsePositives: [
      'COINBASE_WALLET=LHfrEMlhq6ADtnFDgBkULHpeiQqiZFxmjxh-IzSuhg36TCpiS_kB4NyfWfrBrrT', // 63 characters
      'COINBASE_NETWORK=base-mainnet',
    ],
  }),
];
