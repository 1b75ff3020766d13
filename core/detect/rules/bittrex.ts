import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Bittrex exchange API key and secret: 32 characters each, next to a bittrex name. */
export const bittrexRules: readonly Rule[] = [
  keyedSecret({
    id: 'bittrex-api-key',
    description: 'Bittrex API key or secret (32 characters) assigned to a bittrex key name.',
    names: ['bittrex'],
    value: '[a-z0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'BITTREX_API_KEY=f1tuc6y67bc0jozevcs5oc9isxwywkva',
      'bittrex_secret = "s7jzn70r8lzi2qdtx01sd4keagnsgvv6"',
    ],
    falsePositives: ['bittrex: f1tuc6y67bc0jozevcs5oc9isxwywkv', 'BITTREX_MARKET=BTC-ETH'],
  }),
];
