import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Squarespace API keys: a UUID, near a Squarespace key name. */
export const squarespaceRules: readonly Rule[] = [
  {
    id: 'squarespace-access-token',
    category: 'secret',
    description: 'Squarespace API key: a UUID assigned to a key named for Squarespace.',
    keywords: ['squarespace'],
    matchStart: [0, 0],
    pattern: assignedAfterName('squarespace', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
    secretGroup: 1,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SQUARESPACE_API_KEY=3b46a4be-dad4-4516-a087-b05ea428f254',
      'squarespaceToken: "dee97352-5954-4a93-a6c7-6e7ca8deff3d"',
    ],
    falsePositives: ['SQUARESPACE_SITE=https://acme.squarespace.com', 'SQUARESPACE_REF=a5804d38-d291'],
  },
];
