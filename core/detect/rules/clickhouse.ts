import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** ClickHouse Cloud API key secrets: `4b1d` + 38 characters. */
export const clickhouseRules: readonly Rule[] = [
  prefixedToken({
    id: 'clickhouse-cloud-api-secret-key',
    description: 'ClickHouse Cloud API secret key (4b1d + 38 characters).',
    keywords: ['4b1d'],
    body: '4b1d[A-Za-z0-9]{38}',
    minEntropy: 3,
    truePositives: [
      'CLICKHOUSE_KEY_SECRET=4b1dFYpFRCTyiONbKF9h7CgGKXquUkzI615IKzZrFL',
      '{"keyId": "Zq8vR2mT9pXk4LwN7cYb", "keySecret": "4b1dFYpFRCTyiONbKF9h7CgGKXquUkzI615IKzZrFL"}',
    ],
    falsePositives: [
      'ref 4b1dFYpFRCTyiONbKF9h7CgGKXquUkzI615IKzZrF', // 37 characters
      'ref 4b1dFYpFRCTyiONbKF9h7CgGKXquUkzI615IKzZrFLQ', // 39 characters
      'sha 04b1d9c2e7f3a1b5d8c6e0f2a4b6c8d0e1f3a5b7',
    ],
  }),
];
