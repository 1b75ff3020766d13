import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** A synthetic service account token: `ops_` + base64 of the account's sign-in JSON (random values). */
const SERVICE_ACCOUNT_TOKEN =
  'ops_eyJzaWduSW5BZGRyZXNzIjoiYWNtZS4xcGFzc3dvcmQuY29tIiwidXNlckF1dGgiOnsibWV0aG9kIjoiU1JQZy00MDk2IiwiYWxnIjoiUEJFUzJnLUhTMjU2IiwiaXRlcmF0aW9ucyI6NjUwMDAwLCJzYWx0IjoiYldXa2N3R0Z3SU5QRndXa1BITzE5ZyJ9LCJlbWFpbCI6InN2YzdxMkAxcGFzc3dvcmRzZXJ2aWNlYWNjb3VudHMuY29tIiwic3JwWCI6ImVmYzdhMzFjMTIwZGVmYWFjZGY1NDZmMGU3YzhkOWNlMTIyNDdkNTE3MjUxODEzNWRmMTNlYTg4OGUyMTE4MjUiLCJtdWsiOnsiYWxnIjoiQTI1NkdDTSIsImsiOiI3aEVEY3ZRM2xwMVU1ZlFGX0lQUEhHT1lWRGNRWFdSeW9BSjAza1o3X0k0Iiwia3R5Ijoib2N0Iiwia2lkIjoibXAifSwic2VjcmV0S2V5IjoiQTMtUTdIVzJLLVBYOTRUUkJOTVo2LThWSjNELTJMQ1FGLVI1VFg5IiwiZGV2aWNlVXVpZCI6ImszdjlxMm16dDd4NHA4dzFuNnI1YjBjMmQifQ==';

/**
 * 1Password: service account tokens (`ops_` + base64 of a JSON document, so `ops_eyJ`) and account Secret
 * Keys (`A3-` + five or six upper-case groups), which with the master password unlock a whole account.
 */
export const onePasswordRules: readonly Rule[] = [
  prefixedToken({
    id: '1password-service-account-token',
    description: '1Password service account token (ops_ + base64 JSON).',
    keywords: ['ops_eyj'],
    body: 'ops_eyJ[A-Za-z0-9+/_-]{250,8192}={0,3}', // either base64 alphabet
    boundary: 'A-Za-z0-9_+/-',
    after: 'A-Za-z0-9_+/=-',
    minEntropy: 4,
    truePositives: [
      `export OP_SERVICE_ACCOUNT_TOKEN=${SERVICE_ACCOUNT_TOKEN}`,
      `{"token": "${SERVICE_ACCOUNT_TOKEN}"}`,
    ],
    falsePositives: [
      'ref ops_eyJzaWduSW5BZGRyZXNzIjoiYWNtZS4xcGFzc3dvcmQuY29tIn0=', // too short to hold a key
      `ref ops_eyJ${'x'.repeat(300)}`,
    ],
  }),
  prefixedToken({
    id: '1password-secret-key',
    description: '1Password account Secret Key (A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX).',
    keywords: ['a3-'],
    body: 'A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}',
    minEntropy: 3.8,
    truePositives: [
      'Secret Key: A3-Q7HW2K-PX94TRBNMZ6-8VJ3D-2LCQF-R5TX9',
      'A3-Q7HW2K-PX94TR-BNMZ6-8VJ3D-2LCQF-R5TX9',
    ],
    falsePositives: [
      'A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
      'A3-Q7HW2K-PX94TRBNMZ6-8VJ3D-2LCQF', // a group short
      'part A3-100200-300400500-60070-08009-00100', // digits only: a part number, not a key
    ],
  }),
];
