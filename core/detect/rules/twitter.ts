import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Twitter (X) API credentials. App-only bearer tokens start with 22 `A`s and are found anywhere; consumer keys
 * (25) and secrets (50), access tokens (`<user id>-<…>`) and access secrets (45) need a Twitter key name nearby.
 */
export const twitterRules: readonly Rule[] = [
  {
    id: 'twitter-bearer-token',
    category: 'secret',
    description: 'Twitter (X) app-only bearer token (22 A + 80–100 characters).',
    keywords: ['aaaaaaaaaaaaaaaaaaaaaa'],
    matchStart: [0, 0],
    // Not inside base64 (a run of `A` is zero bytes there): `+`, `/` and `=` are token characters too.
    pattern: /(?<![A-Za-z0-9%+/])A{22}[A-Za-z0-9%]{80,100}(?![A-Za-z0-9%+/=])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAATEb9hBXDDzwlNPqT4nsQ%3DZM5LrzhZLEz554DmK9XgJbpBRSJI1A2EeArfXPsR3AGz83oaDfThZ2L6IPjZNtrhuThG8w',
      'Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAHGAcitxq2pqVCin7RofpQDtUdm24V9PO0lzcc5PKNAIQA53VR7fW7Rq5QvHsSEiITxgc7FGlH3QlAwdyn9fuE',
    ],
    falsePositives: [
      'blob 8Qz/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAcL9Sv93mVJeJ2UOgcismYTs7bKx1L0xFwJmz4auLkIcHv2Wvi4rAv3zNHR2DYN9rkKN6XmBm8Qg2yZIi/AAAB', // zero bytes inside base64
      'ref AAAAAAAAAAAAAAAAAAAAAAc0XBLcUq8IJtUysFClCyByDD0H5vh8',
      'ref ' + 'A'.repeat(120),
    ],
  },
  {
    id: 'twitter-api-key',
    category: 'secret',
    description: 'Twitter (X) API (consumer) key: 25 alphanumerics assigned to a key named for Twitter.',
    keywords: ['twitter'],
    matchStart: [0, 0],
    pattern: assignedAfterName('twitter', '[a-z0-9]{25}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWITTER_API_KEY=nx47xKwXLQIsOAbUSHskTF6Ef',
      'twitter_consumer_key: "HXmcdYNROMYNrSFN3WxasjEU1"',
    ],
    falsePositives: ['TWITTER_HANDLE=acme_support', 'TWITTER_REF=CHKfoZT2qVjGU4y'],
  },
  {
    id: 'twitter-api-secret',
    category: 'secret',
    description: 'Twitter (X) API (consumer) secret: 50 alphanumerics assigned to a key named for Twitter.',
    keywords: ['twitter'],
    matchStart: [0, 0],
    pattern: assignedAfterName('twitter', '[a-z0-9]{50}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWITTER_API_SECRET=H7kKIqrpiOclAhFN3WugdPHAx2JbUFBhrIwr2QA5CbQxdaAs4G',
      'twitter.consumerSecret = "zjoQUW8waiRy9D849s8OG2JBoz25RdZN6bGE9NCpXtJeRgM6bn"',
    ],
    falsePositives: ['TWITTER_API_SECRET=${TWITTER_API_SECRET}'],
  },
  {
    id: 'twitter-access-token',
    category: 'secret',
    description: 'Twitter (X) access token (<user id>-<20–40>) assigned to a key named for Twitter.',
    keywords: ['twitter'],
    matchStart: [0, 0],
    pattern: assignedAfterName('twitter', '[0-9]{15,25}-[A-Za-z0-9]{20,40}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWITTER_ACCESS_TOKEN=8429720779770486685-PXHTr9PGy249iZiaFmvQqwuLDv0ZoEY',
      "twitter_access_token = '864059957518749049-nehmng90SmHyEGibT10HX33hPVc'",
    ],
    falsePositives: ['TWITTER_REF=06321710-BhSu2r7NMcisiLWlPkaQHsKzYNfcS2C', 'twitter_since = 2024-05-17'],
  },
  {
    id: 'twitter-access-secret',
    category: 'secret',
    description: 'Twitter (X) access token secret: 45 alphanumerics assigned to a key named for Twitter.',
    keywords: ['twitter'],
    matchStart: [0, 0],
    pattern: assignedAfterName('twitter', '[a-z0-9]{45}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWITTER_ACCESS_SECRET=sUJkD6h5MjHUMhkP25bVWrw0YJn53aMJ4FWBDn6dgtIEw',
      'twitterAccessTokenSecret: "sPIODKBzBypLUY3lF6PXdBoijsXRWSKgjBx5uLHzFNeQX"',
    ],
    falsePositives: ['TWITTER_ACCESS_SECRET=<access-token-secret>'],
  },
];
