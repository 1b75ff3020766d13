import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** MessageBird (Bird) API access keys (25 alphanumerics) and client IDs (UUID), near a MessageBird key name. */
export const messagebirdRules: readonly Rule[] = [
  {
    id: 'messagebird-api-token',
    category: 'secret',
    description: 'MessageBird API access key: 25 alphanumerics assigned to a key named for MessageBird.',
    keywords: ['messagebird', 'message-bird', 'message_bird'],
    matchStart: [0, 0],
    pattern: assignedAfterName('message[_-]?bird', '[a-z0-9]{25}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MESSAGEBIRD_ACCESS_KEY=ccBBqpd9Iy2CYIKtCabviaH0L',
      '<message_bird_key>\n  zEzrFrRwr1cMGiPTpjyFokg7u\n</message_bird_key>',
    ],
    falsePositives: ['MESSAGEBIRD_REF=uCjZGAmkG288vNZ', 'MESSAGEBIRD_ACCESS_KEY=<access-key>'],
  },
  {
    id: 'messagebird-client-id',
    category: 'secret',
    description: 'MessageBird client ID: a UUID assigned to a key named for MessageBird.',
    keywords: ['messagebird', 'message-bird', 'message_bird'],
    matchStart: [0, 0],
    pattern: assignedAfterName(
      'message[_-]?bird',
      '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    ),
    secretGroup: 1,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'const messageBirdClientId = "1134d2f5-24a7-4d65-aebe-ce8ee7320847";',
      'MESSAGEBIRD_CLIENT_ID=0EE588A8-01C5-4B5D-AD69-6FD0A28FF8C0',
    ],
    falsePositives: [
      'MESSAGEBIRD_CLIENT_ID=00000000-0000-0000-0000-000000000000',
      'MESSAGEBIRD_CLIENT_ID=0d41b995-916c',
    ],
  },
];
