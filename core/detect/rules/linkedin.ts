import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** LinkedIn app credentials have no prefix: both have letters and digits, so plain words are left alone. */
function lettersAndDigits(value: string): boolean {
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value);
}

export const linkedinRules: readonly Rule[] = [
  {
    id: 'linkedin-client-id',
    category: 'secret',
    description: 'LinkedIn client ID: 14 alphanumerics assigned to a key named for LinkedIn.',
    keywords: ['linkedin', 'linked_in', 'linked-in'],
    matchStart: [0, 0],
    pattern: assignedAfterName('linked[_-]?in', '[a-z0-9]{14}'),
    secretGroup: 1,
    minEntropy: 2.5,
    validate: lettersAndDigits,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['LINKEDIN_CLIENT_ID=q17u87v8go7z3q', 'linkedin.clientId = "gnxi5o18jy4k8w"'],
    falsePositives: [
      'LINKEDIN_CLIENT_ID=rv048wf8c7', // too short
      'linkedin_profile: authentication', // a word
      'LINKEDIN_CLIENT_ID=<client-id>',
    ],
  },
  {
    id: 'linkedin-client-secret',
    category: 'secret',
    description: 'LinkedIn client secret: 16 alphanumerics assigned to a key named for LinkedIn.',
    keywords: ['linkedin', 'linked_in', 'linked-in'],
    matchStart: [0, 0],
    pattern: assignedAfterName('linked[_-]?in', '[a-z0-9]{16}'),
    secretGroup: 1,
    minEntropy: 2.5,
    validate: lettersAndDigits,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['LINKEDIN_CLIENT_SECRET=e8n38lrlu7lkq9x2', '"linked-in-secret": "qrqjoqdkpa1zb7v1"'],
    falsePositives: [
      'LINKEDIN_REF=olvswfbxzkohs2b9ipcs', // too long
      'linkedin_headline: "internationalize"', // a word
      'LINKEDIN_CLIENT_SECRET=${LINKEDIN_SECRET}',
    ],
  },
];
