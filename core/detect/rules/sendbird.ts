import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Sendbird application ids (UUID) and API tokens (40 hex), near a Sendbird key name. */
export const sendbirdRules: readonly Rule[] = [
  {
    id: 'sendbird-access-id',
    category: 'secret',
    description: 'Sendbird application id: a UUID assigned to a key named for Sendbird.',
    keywords: ['sendbird'],
    matchStart: [0, 0],
    pattern: assignedAfterName('sendbird', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
    secretGroup: 1,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SENDBIRD_APP_ID=409679FE-05A4-40CB-A272-0A835A388D9B',
      'sendbirdAppId: "ab48d1e0-9273-4688-a1f1-05177cc6af30"',
    ],
    falsePositives: ['SENDBIRD_APP_ID=bccb151f-a074', 'SENDBIRD_APP_ID=00000000-0000-0000-0000-000000000000'],
  },
  {
    id: 'sendbird-access-token',
    category: 'secret',
    description: 'Sendbird API token: 40 hex assigned to a key named for Sendbird.',
    keywords: ['sendbird'],
    matchStart: [0, 0],
    pattern: assignedAfterName('sendbird', '[a-f0-9]{40}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SENDBIRD_API_TOKEN=c4a2304d3f83219a6fb7ebeb4db93c87b78b02aa',
      "sendbird_token = '8a9d007a16f83434bb2838d7ace87750fb098472'",
    ],
    falsePositives: ['SENDBIRD_REF=be512aedaf41af39117d7bf74efe50', 'SENDBIRD_API_TOKEN=${SENDBIRD_TOKEN}'],
  },
];
