import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** RapidAPI keys: 50 characters, near a RapidAPI key name (`X-RapidAPI-Key`). */
export const rapidapiRules: readonly Rule[] = [
  {
    id: 'rapidapi-access-token',
    category: 'secret',
    description: 'RapidAPI key: 50 characters assigned to a key named for RapidAPI.',
    keywords: ['rapidapi'],
    matchStart: [0, 0],
    pattern: assignedAfterName('rapidapi', '[a-z0-9_-]{50}'),
    secretGroup: 1,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      "headers = {'X-RapidAPI-Key': 'izyUwKJzaBRnR5S8BFXR4NcCtxgRLfyOhNl7cFOQmVxMmaBFCt'}",
      'RAPIDAPI_KEY=rybq6Xc0qbalc7c4m4IYcXU8CBJD0KNJx0tuhOuf1T6SMUqABk',
    ],
    falsePositives: [
      'RAPIDAPI_REF=IU9g93PlXVRmXRMNeChzDn7Q6lbirH',
      "'X-RapidAPI-Host': 'weatherapi-com.p.rapidapi.com'",
    ],
  },
];
