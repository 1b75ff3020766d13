import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Cisco Meraki Dashboard API keys: 40 hex characters next to a meraki name. */
export const ciscoRules: readonly Rule[] = [
  keyedSecret({
    id: 'cisco-meraki-api-key',
    description: 'Cisco Meraki Dashboard API key (40 hex characters) assigned to a meraki key name.',
    names: ['meraki'],
    value: '[0-9a-f]{40}',
    minEntropy: 3,
    truePositives: [
      'MERAKI_DASHBOARD_API_KEY=f8ea350543c4fc3b99a09b6f02b67383be4cce39',
      'meraki_key("f8ea350543c4fc3b99a09b6f02b67383be4cce39")',
    ],
    falsePositives: [
      'meraki: f8ea350543c4fc3b99a09b6f02b67383be4cce3', // 39 characters
      'MERAKI_NETWORK=L_646829496481105433',
    ],
  }),
];
