import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** age (filippo.io/age) X25519 identities: `AGE-SECRET-KEY-1` + 58 Bech32 characters, upper case. */
export const ageRules: readonly Rule[] = [
  prefixedToken({
    id: 'age-secret-key',
    description: 'age encryption secret key (AGE-SECRET-KEY-1 + 58 Bech32 characters).',
    keywords: ['age-secret-key-1'],
    body: 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}',
    truePositives: [
      '# created: 2024-05-17T10:30:00Z\nAGE-SECRET-KEY-17X2WRP95AP3SKZ6C438ZD9X0K4NTRWJ6HF3WRYPXG07U5MV7229N3WPJG5',
      'SOPS_AGE_KEY="AGE-SECRET-KEY-17X2WRP95AP3SKZ6C438ZD9X0K4NTRWJ6HF3WRYPXG07U5MV7229N3WPJG5"',
    ],
    falsePositives: [
      'AGE-SECRET-KEY-17X2WRP95AP3SKZ6C438ZD9X0K4NTRWJ6HF3WRYPXG07U5MV7229N3WPJG', // 57 characters
      'AGE-SECRET-KEY-17X2WRP95AP3SKZ6C438ZD9X0K4NTRWJ6HF3WRYPXG07U5MV7229N3WPJB5', // B is not Bech32
      'AGE-SECRET-KEY-1...',
    ],
  }),
];
