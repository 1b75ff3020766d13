import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Google Cloud / Firebase / Maps API keys: `AIza` + 35 base64url characters. */
export const googleRules: readonly Rule[] = [
  {
    id: 'google-api-key',
    category: 'secret',
    description: 'Google API key (AIza + 35 characters).',
    keywords: ['aiza'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'GOOGLE_API_KEY=AIza8MGFmLLqFbf-c2pXfJ-GohSJgjzx4IIQo7Q',
      'https://maps.googleapis.com/maps/api/geocode/json?address=Main+St&key=AIza91z4d3MLLr4a6jfZobClDYxDkOCJPahrB9a',
      '"apiKey": "AIza8MGFmLLqFbf-c2pXfJ-GohSJgjzx4IIQo7Q",',
    ],
    falsePositives: [
      'ref AIza8MGFmLLqFbf-c2pXfJ-GohSJgjzx4IIQo7', // 34 characters
      'ref AIza8MGFmLLqFbf-c2pXfJ-GohSJgjzx4IIQo7Qz', // 36 characters
      'ref AIzaxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'ref aiza8MGFmLLqFbf-c2pXfJ-GohSJgjzx4IIQo7Q', // lowercase prefix
    ],
  },
];
