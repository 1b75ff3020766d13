import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Snyk API tokens: a UUID assigned to SNYK_TOKEN, snyk_api_key, snyk.oauth.token and the like. */
export const snykRules: readonly Rule[] = [
  {
    id: 'snyk-api-token',
    category: 'secret',
    description: 'Snyk API token: a UUID assigned to a Snyk key or token name.',
    keywords: ['snyk'],
    matchStart: [0, 0],
    pattern: assignedAfterName(
      'snyk[_.-]?(?:(?:api|oauth)[_.-]?)?(?:key|token)',
      '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    ),
    secretGroup: 1,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SNYK_TOKEN=db289fa7-b7b1-447b-a94b-b18e11c2f2f5',
      'snyk_api_key ?= "36DF5BD9-2FE4-401C-A36E-0B80214B02D4"',
      'env:\n  SNYK_TOKEN: 210304ce-b5a9-4edd-a388-e48a1153409f',
    ],
    falsePositives: [
      'SNYK_ORG_ID=46318b8b-60bc-426c-a3cb-22ab242a33f5',
      'SNYK_TOKEN=${{ secrets.SNYK_TOKEN }}',
      'snyk_token_id=b7b19761-6c36',
    ],
  },
];
