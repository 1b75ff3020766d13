import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Confluent Cloud API keys (16 characters) and secrets (64), next to a confluent name. */
export const confluentRules: readonly Rule[] = [
  keyedSecret({
    id: 'confluent-access-token',
    description: 'Confluent Cloud API key (16 characters) assigned to a confluent key name.',
    names: ['confluent'],
    value: '[a-z0-9]{16}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['CONFLUENT_CLOUD_API_KEY=1F0XGW1T6SD0U081'],
    falsePositives: ['confluent: 1F0XGW1T6SD0U08', 'CONFLUENT_ENV=env-7q2x9'],
  }),
  keyedSecret({
    id: 'confluent-secret-key',
    description: 'Confluent Cloud API secret (64 characters) assigned to a confluent key name.',
    names: ['confluent'],
    value: '[a-z0-9+/]{64}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'CONFLUENT_CLOUD_API_SECRET=MnMM9Z01m6GYWu6B9WnZYyEWqh07XOm7XHih+VeJaYjhn8/4jwq0/TgJ/UC0hVCb',
    ],
    falsePositives: [
      'confluent: MnMM9Z01m6GYWu6B9WnZYyEWqh07XOm7XHih+VeJaYjhn8/4jwq0/TgJ/UC0hVC', // 63 characters
    ],
  }),
];
