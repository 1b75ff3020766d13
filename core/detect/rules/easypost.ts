import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** EasyPost API keys: `EZAK` (production) or `EZTK` (test) + 54 characters. */
export const easypostRules: readonly Rule[] = [
  prefixedToken({
    id: 'easypost-api-token',
    description: 'EasyPost production API key (EZAK + 54 characters).',
    keywords: ['ezak'],
    body: 'EZAK[A-Za-z0-9]{54}',
    minEntropy: 3,
    truePositives: [
      'EASYPOST_API_KEY=EZAKJmtxZWwk1Os1oXDJOslthUMxsqvd7tRfeEGeHjDi3fMb2gXHoeGXPm',
      'https://api.easypost.com/v2/shipments?key=EZAKJmtxZWwk1Os1oXDJOslthUMxsqvd7tRfeEGeHjDi3fMb2gXHoeGXPm&q=1',
    ],
    falsePositives: [
      'ref EZAKJmtxZWwk1Os1oXDJOslthUMxsqvd7tRfeEGeHjDi3fMb2gXHoeGXP', // 53 characters
      'blob Qw+EZAKJmtxZWwk1Os1oXDJOslthUMxsqvd7tRfeEGeHjDi3fMb2gXHoeGXPmq8Rv/3', // inside base64
    ],
  }),
  prefixedToken({
    id: 'easypost-test-api-token',
    description: 'EasyPost test API key (EZTK + 54 characters).',
    keywords: ['eztk'],
    body: 'EZTK[A-Za-z0-9]{54}',
    minEntropy: 3,
    truePositives: ['EASYPOST_TEST_KEY=EZTKJmtxZWwk1Os1oXDJOslthUMxsqvd7tRfeEGeHjDi3fMb2gXHoeGXPm'],
    falsePositives: ['ref EZTKJmtxZWwk1Os1oXDJOslthUMxsqvd7tRfeEGeHjDi3fMb2gXHoeGXPmQ'], // 55 characters
  }),
];
