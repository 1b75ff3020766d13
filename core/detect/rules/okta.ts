import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Okta API tokens (SSWS): `00` + 40 characters, near an Okta key name (written Okta, okta or OKTA). */
export const oktaRules: readonly Rule[] = [
  {
    id: 'okta-access-token',
    category: 'secret',
    description: 'Okta API token (00 + 40 characters) assigned to a key named for Okta.',
    keywords: ['okta'],
    matchStart: [0, 0],
    pattern: assignedAfterName('(?:[Oo]kta|OKTA)', '00[A-Za-z0-9_=-]{40}', {
      after: 'A-Za-z0-9_=-',
      flags: '',
    }),
    secretGroup: 1,
    minEntropy: 4,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'OKTA_API_TOKEN=00sSl5MjGUQ3vBhskP3SSgo3KhiD64LLAQsbMjV6dr',
      'okta.client.token = "00JaoYjGlfcf-Tuiy5q5wp-9vXB3Gr7EXw1k_8lXKB"',
    ],
    falsePositives: [
      'OKTA_REF=00mNNOvXTmkDR-JmS8ief2', // too short
      'OKTA_API_TOKEN=0000000000000000000000000000000000000000000', // no entropy
      'OKTA_ORG_URL=https://dev-123456.okta.com',
    ],
  },
];
