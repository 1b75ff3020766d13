import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** New York Times developer API keys: 32 characters, near an NYTimes key name. */
export const nytimesRules: readonly Rule[] = [
  {
    id: 'nytimes-access-token',
    category: 'secret',
    description: 'New York Times API key: 32 characters assigned to a key named for the NYTimes.',
    keywords: ['nytimes', 'new-york-times', 'newyorktimes'],
    matchStart: [0, 0],
    pattern:
      /(?:nytimes|new-york-times|newyorktimes)[\w .-]{0,20}[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\s'"\x60=]{0,5}([a-z0-9=_-]{32})(?![A-Za-z0-9_=-])/i,
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
