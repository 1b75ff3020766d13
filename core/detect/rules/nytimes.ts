import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** New York Times developer API keys: 32 characters, near an NYTimes key name. */
export const nytimesRules: readonly Rule[] = [
  {
    id: 'nytimes-access-token',
    category: 'secret',
    description: 'New York Times API key: 32 characters assigned to a key named for the NYTimes.',
    keywords: ['nytimes', 'new-york-times', 'newyorktimes'],
    matchStart: [0, 0],
    pattern: assignedAfterName('(?:nytimes|new-york-times|newyorktimes)', '[a-z0-9=_-]{32}', {
      after: 'A-Za-z0-9_=-',
    }),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'NYTIMES_API_KEY=iq0X5wIjkzWga6bY7UEsbBnOS0tIA8Pi',
      'newYorkTimesKey: "ocnnjW1RSx9SSEhKBD9zOH7jIlSD0idm"',
    ],
    falsePositives: ['NYTIMES_REF=7Fezdfqzvgr40VehH3T0', 'NYTIMES_API_KEY=${NYT_KEY}'],
  },
];
