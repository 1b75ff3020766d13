import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** KuCoin API keys (24 hex) and secrets (UUIDs), next to a kucoin name. */
export const kucoinRules: readonly Rule[] = [
  keyedSecret({
    id: 'kucoin-access-token',
    description: 'KuCoin API key (24 hex characters) assigned to a kucoin key name.',
    names: ['kucoin'],
    value: '[a-f0-9]{24}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['KUCOIN_API_KEY=08b4a93d43e13be36f61b259'],
    falsePositives: ['kucoin: 08b4a93d43e13be36f61b25', 'KUCOIN_SYMBOL=BTC-USDT'],
  }),
  keyedSecret({
    id: 'kucoin-secret-key',
    description: 'KuCoin API secret (a UUID) assigned to a kucoin key name.',
    names: ['kucoin'],
    value: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['KUCOIN_API_SECRET=aa63ece9-8407-cab3-cd98-3929fad86167'],
    falsePositives: ['kucoin: aa63ece9-8407-cab3-cd98-3929fad8616'],
  }),
];
