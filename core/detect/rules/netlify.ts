import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Netlify personal access tokens: `nfp_` + 36 (current), or 40–46 characters next to a Netlify key name (legacy). */
export const netlifyRules: readonly Rule[] = [
  {
    id: 'netlify-personal-access-token',
    category: 'secret',
    description: 'Netlify personal access token (nfp_ + 36 alphanumerics).',
    keywords: ['nfp_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])nfp_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'NETLIFY_AUTH_TOKEN=nfp_jq3lyscWAGczDCEIIwHfkmVqgrc9lfJq1djs',
      'netlify deploy --auth nfp_dkQT4HzV5aAB8lGkxig2Ohch9g8G6N9E4y0W --prod',
    ],
    falsePositives: ['ref nfp_Vu8smvss9r8x19PYj3Hq', 'ref nfp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
  {
    id: 'netlify-access-token',
    category: 'secret',
    description: 'Netlify access token (legacy, 40–46 characters) assigned to a key named for Netlify.',
    keywords: ['netlify'],
    matchStart: [0, 0],
    pattern: assignedAfterName('netlify', '[a-z0-9=_-]{40,46}', {
      after: 'A-Za-z0-9_=-',
    }),
    secretGroup: 1,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'NETLIFY_AUTH_TOKEN=zxwsVbuplcgMJZdfvufVwhePbirRvxKyExA42P9v1dx',
      'netlify_token: "HC8SFNmP0ZvBwBhckQbfjg3Uu303JMHdpcZhM94c"',
    ],
    falsePositives: [
      'NETLIFY_REF=DEYFM0ixWDmmT6W0UqmJ',
      'NETLIFY_SITE_ID=3440e883-c519-4528-a2a0-c4c839e0550f',
    ],
  },
];
