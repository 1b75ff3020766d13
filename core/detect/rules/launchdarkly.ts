import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** LaunchDarkly access tokens and SDK keys (40 characters, e.g. `api-`/`sdk-` + UUID), near a LaunchDarkly key name. */
export const launchdarklyRules: readonly Rule[] = [
  {
    id: 'launchdarkly-access-token',
    category: 'secret',
    description:
      'LaunchDarkly access token or SDK key: 40 characters assigned to a key named for LaunchDarkly.',
    keywords: ['launchdarkly'],
    matchStart: [0, 0],
    pattern: assignedAfterName('launchdarkly', '[a-z0-9=_-]{40}', {
      after: 'A-Za-z0-9_=-',
    }),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'LAUNCHDARKLY_SDK_KEY=sdk-55346426-fa04-4c10-a740-9c4eb424880b',
      'launchDarklyToken: "api-aac164db-e957-4a96-a357-c6d5ce91df46"',
    ],
    falsePositives: ['LAUNCHDARKLY_SDK_KEY=sdk-068b8d88', 'LAUNCHDARKLY_SDK_KEY=${LD_SDK_KEY}'],
  },
];
