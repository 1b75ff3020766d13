import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Flutterwave keys: `FLWSECK-`/`FLWPUBK-` (with `_TEST` in test mode) + 32 hex + `-X`; encryption keys `FLWSECK` + 12 hex. */
export const flutterwaveRules: readonly Rule[] = [
  prefixedToken({
    id: 'flutterwave-secret-key',
    description: 'Flutterwave secret key (FLWSECK[_TEST]- + 32 hex + -X).',
    keywords: ['flwseck'],
    body: 'FLWSECK(?:_TEST)?-[a-h0-9]{32}-X',
    flags: 'i',
    minEntropy: 2,
    truePositives: [
      'FLW_SECRET_KEY=FLWSECK_TEST-5ed91d6adad7bc2aabf3ae04abf947cd-X',
      'secret: FLWSECK-5ed91d6adad7bc2aabf3ae04abf947cd-X',
    ],
    falsePositives: [
      'ref FLWSECK_TEST-5ed91d6adad7bc2aabf3ae04abf947c-X',
      'ref FLWSECK_TEST-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-X',
    ],
  }),
  prefixedToken({
    id: 'flutterwave-public-key',
    description: 'Flutterwave public key (FLWPUBK[_TEST]- + 32 hex + -X).',
    keywords: ['flwpubk'],
    body: 'FLWPUBK(?:_TEST)?-[a-h0-9]{32}-X',
    flags: 'i',
    minEntropy: 2,
    truePositives: ['FLW_PUBLIC_KEY=FLWPUBK_TEST-5ed91d6adad7bc2aabf3ae04abf947cd-X'],
    falsePositives: ['ref FLWPUBK_TEST-5ed91d6adad7bc2aabf3ae04abf947cd'],
  }),
  prefixedToken({
    id: 'flutterwave-encryption-key',
    description: 'Flutterwave encryption key (FLWSECK[_TEST] + 12 hex).',
    keywords: ['flwseck'],
    body: 'FLWSECK(?:_TEST)?[a-h0-9]{12}',
    flags: 'i',
    minEntropy: 2,
    truePositives: ['FLW_ENCRYPTION_KEY=FLWSECK_TEST18d628cf051f'],
    falsePositives: ['ref FLWSECK_TEST18d628cf051', 'ref FLWSECK_TEST18d628cf051fab'],
  }),
];
