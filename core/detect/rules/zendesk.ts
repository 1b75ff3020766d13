import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Zendesk API tokens: 40 alphanumerics, near a Zendesk key name. */
export const zendeskRules: readonly Rule[] = [
  {
    id: 'zendesk-secret-key',
    category: 'secret',
    description: 'Zendesk API token: 40 alphanumerics assigned to a key named for Zendesk.',
    keywords: ['zendesk'],
    matchStart: [0, 0],
    pattern: assignedAfterName('zendesk', '[a-z0-9]{40}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'ZENDESK_API_TOKEN=RIiboQnkvJ86llQdLEUpvhTSovRfaQYWkZautvsD',
      'zendesk_token: 1YxuZ7ozBlPsPWHts4FB3ZCjKSBjKHfCEzYjWinP',
    ],
    falsePositives: ['ZENDESK_SUBDOMAIN=acme-support', 'ZENDESK_REF=lhlMETNBmk4Y7CzVwMPC'],
  },
];
