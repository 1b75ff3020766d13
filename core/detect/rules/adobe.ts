import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/** Adobe (I/O, Developer Console): client secrets start `p8e-`; client ids are 32 hex next to an adobe name. */
export const adobeRules: readonly Rule[] = [
  prefixedToken({
    id: 'adobe-client-secret',
    description: 'Adobe client secret (p8e- + 32 characters).',
    keywords: ['p8e-'],
    body: 'p8e-[A-Za-z0-9]{32}',
    flags: 'i',
    minEntropy: 2,
    truePositives: [
      'ADOBE_CLIENT_SECRET=p8e-eiRZ2G0Nro2neB5GbSV4xUjZAzjBlvV9',
      '"client_secret": "p8e-eiRZ2G0Nro2neB5GbSV4xUjZAzjBlvV9"',
    ],
    falsePositives: [
      'ref p8e-eiRZ2G0Nro2neB5GbSV4xUjZAzjBlvV', // 31 characters
      'ref p8e-eiRZ2G0Nro2neB5GbSV4xUjZAzjBlvV9Q', // 33 characters
      'ref xp8e-eiRZ2G0Nro2neB5GbSV4xUjZAzjBlvV9', // glued to a word
      'ref p8e-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
  keyedSecret({
    id: 'adobe-client-id',
    description: 'Adobe client id (32 hex characters) assigned to an adobe key name.',
    names: ['adobe'],
    value: '[a-f0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 2,
    truePositives: [
      'ADOBE_CLIENT_ID=2a7f5ef16ae54ce0ca9122cd4d4d7423',
      'const adobeClientId = "2a7f5ef16ae54ce0ca9122cd4d4d7423";',
    ],
    falsePositives: [
      'ADOBE_CLIENT_ID=2a7f5ef16ae54ce0ca9122cd4d4d742', // 31 characters
      'ADOBE_CLIENT_ID=2a7f5ef16ae54ce0ca9122cd4d4d7423ab', // 34 characters
      'md5 = "2a7f5ef16ae54ce0ca9122cd4d4d7423"', // no adobe name
    ],
  }),
];
