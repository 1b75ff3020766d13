import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Plaid: access tokens carry their environment (`access-sandbox-` + UUID); client ids (24) and secrets (30) are
 * plain alphanumerics, found next to a Plaid key name.
 */
export const plaidRules: readonly Rule[] = [
  {
    id: 'plaid-api-token',
    category: 'secret',
    description: 'Plaid access token (access-sandbox-/access-development-/access-production- + UUID).',
    keywords: ['access-sandbox-', 'access-development-', 'access-production-'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9_-])access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9_-])/,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'PLAID_ACCESS_TOKEN=access-production-6119bb8c-4bc9-435b-abc7-422d5410816e',
      '{"access_token": "access-sandbox-4f6b35fd-b627-4776-abe8-eacf34c276e5", "item_id": "x"}',
    ],
    falsePositives: [
      'ref access-sandbox-061b01c6',
      'ref access-staging-ffad181a-9fa0-4a9b-abe2-d5e0022de571',
    ],
  },
  {
    id: 'plaid-client-id',
    category: 'secret',
    description: 'Plaid client ID: 24 alphanumerics assigned to a key named for Plaid.',
    keywords: ['plaid'],
    matchStart: [0, 0],
    pattern: assignedAfterName('plaid', '[a-z0-9]{24}'),
    secretGroup: 1,
    // Client ids are 24 hex, whose entropy tops out at 4 bits a character.
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['PLAID_CLIENT_ID=c82311e2e784a33e6e7118ed', 'plaidClientId: "hfh9fia4imxir82ckepirwl9"'],
    falsePositives: ['PLAID_CLIENT_ID=4be44d68b8725ee7', 'PLAID_ENV=sandbox'],
  },
  {
    id: 'plaid-secret-key',
    category: 'secret',
    description: 'Plaid secret: 30 alphanumerics assigned to a key named for Plaid.',
    keywords: ['plaid'],
    matchStart: [0, 0],
    pattern: assignedAfterName('plaid', '[a-z0-9]{30}'),
    secretGroup: 1,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'PLAID_SECRET=6851ffbc550a504ec8052d3c064f3c',
      "plaid_secret = '1fy31neyqq2xddokpuiqant8ljd2tl'",
    ],
    falsePositives: ['PLAID_REF=545e0c0001bef94a6359', 'PLAID_SECRET=${PLAID_SECRET}'],
  },
];
