import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Finnhub API keys: 20 characters next to a finnhub name. */
export const finnhubRules: readonly Rule[] = [
  keyedSecret({
    id: 'finnhub-access-token',
    description: 'Finnhub API key (20 characters) assigned to a finnhub key name.',
    names: ['finnhub'],
    value: '[a-z0-9]{20}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['FINNHUB_API_KEY=4xsc388yg1gjirvmgi25', 'finnhub_key("4xsc388yg1gjirvmgi25")'],
    falsePositives: ['finnhub: 4xsc388yg1gjirvmgi2', 'FINNHUB_SYMBOL=AAPL'],
  }),
];
