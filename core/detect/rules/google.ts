import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Google Cloud / Firebase / Maps API keys: `AIzaSy` + 33 base64url characters. Every key Google issues starts
 * with `AIzaSy`, so `AIza` followed by anything else is not one.
 */
export const googleRules: readonly Rule[] = [
  {
    id: 'google-api-key',
    category: 'secret',
    description: 'Google API key (AIzaSy + 33 characters).',
    keywords: ['aiza'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])AIzaSy[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'GOOGLE_API_KEY=AIzaSyN1xwe023ay7gTiOlYe_NVk1SDq7c1-mze',
      'https://maps.googleapis.com/maps/api/geocode/json?address=Main+St&key=AIzaSyfHsS_qWI9R9NxVWfsj0qPn1wQyokVJKhR',
      '"apiKey": "AIzaSyUu7SVbiq-3mLZt4WmgzzAQBjslHKlWcpN",',
    ],
    falsePositives: [
      'ref AIzaSyN1xwe023ay7gTiOlYe_NVk1SDq7c1-mz', // 32 characters after AIzaSy
      'ref AIzaSyN1xwe023ay7gTiOlYe_NVk1SDq7c1-mzeQ', // 34 characters after AIzaSy
      'ref AIza8MGFmLLqFbf-c2pXfJ-GohSJgjzx4IIQo7Q', // AIza without Sy: not an issued key
      'ref AIzaSyxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'ref aizaSyN1xwe023ay7gTiOlYe_NVk1SDq7c1-mze', // lowercase prefix
    ],
  },
];
