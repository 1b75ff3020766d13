import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Cohere API keys: 40 base62 characters next to a cohere or co_api_key name. */
export const cohereRules: readonly Rule[] = [
  keyedSecret({
    id: 'cohere-api-token',
    description: 'Cohere API key (40 characters) assigned to a cohere or co_api_key name.',
    names: ['cohere', 'co_api_key'],
    value: '[A-Za-z0-9]{40}',
    minEntropy: 4,
    truePositives: [
      'COHERE_API_KEY=QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66',
      'co = cohere.Client("QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66")',
      'CO_API_KEY: QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66',
    ],
    falsePositives: [
      'COHERE_MODEL=command-r-plus',
      'COHERE_API_BASE=QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS6', // 39 characters
      'cohere: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"',
    ],
  }),
];
