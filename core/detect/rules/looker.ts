import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Looker API3 credentials: client ID (20) and client secret (24 alphanumerics), near a Looker key name. */
export const lookerRules: readonly Rule[] = [
  {
    id: 'looker-client-id',
    category: 'secret',
    description: 'Looker API client ID: 20 alphanumerics assigned to a key named for Looker.',
    keywords: ['looker'],
    matchStart: [0, 0],
    pattern: assignedAfterName('looker', '[a-z0-9]{20}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['LOOKERSDK_CLIENT_ID=zHxXxFVcHDNfAwmPmBf0', 'looker_client_id: "5QLxYQBmvojaDhPUjfqN"'],
    falsePositives: ['LOOKERSDK_CLIENT_ID=YveygAt10iF9', 'LOOKERSDK_CLIENT_ID=aaaaaaaaaaaaaaaaaaaa'],
  },
  {
    id: 'looker-client-secret',
    category: 'secret',
    description: 'Looker API client secret: 24 alphanumerics assigned to a key named for Looker.',
    keywords: ['looker'],
    matchStart: [0, 0],
    pattern: assignedAfterName('looker', '[a-z0-9]{24}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'LOOKERSDK_CLIENT_SECRET=nPQIih89iFQw8nMBwXprqcv7',
      'looker.clientSecret = "j6Zg2vbsfObonS3ey1HDHblK"',
    ],
    falsePositives: ['LOOKER_REF=52lvI3vHhoWRH8EhKY6DBuBvVWjVyE', 'LOOKERSDK_CLIENT_SECRET=${LOOKER_SECRET}'],
  },
];
