import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Twilio: API key SIDs (`SK` + 32 hex) and account SIDs (`AC` + 32 hex) carry a prefix; auth tokens and API key
 * secrets (32 hex) need a Twilio key name nearby.
 */
export const twilioRules: readonly Rule[] = [
  {
    id: 'twilio-api-key',
    category: 'secret',
    description: 'Twilio API key SID (SK + 32 hex).',
    keywords: ['sk'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])SK[0-9a-fA-F]{32}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWILIO_API_KEY=SKc08630f28b14880e00d33e307aa5b2d1',
      'client = Client("SKddb477c69512eded38fcd7af84304c4d", api_secret, account_sid)',
    ],
    falsePositives: [
      'ref SK4de1a1c27b5e5c163e77',
      'ref SK00000000000000000000000000000000',
      'ASK8484f4c4a1553a57ab045d18eda7d757',
    ],
  },
  {
    id: 'twilio-account-sid',
    category: 'secret',
    description: 'Twilio account SID (AC + 32 hex).',
    keywords: ['ac'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])AC[0-9a-f]{32}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWILIO_ACCOUNT_SID=ACc88403bfee884cb240653f7bd2185b89',
      'https://api.twilio.com/2010-04-01/Accounts/AC977d1553a9690e08a0d9bfc9972d882d/Messages.json',
    ],
    falsePositives: [
      'ref ACa28221ec5ff1da7c053c',
      'ref ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'TRACc6c7eb7cc47be14af6c7be90eb39f4b7',
    ],
  },
  {
    id: 'twilio-auth-token',
    category: 'secret',
    description: 'Twilio auth token or API key secret: 32 hex assigned to a key named for Twilio.',
    keywords: ['twilio'],
    matchStart: [0, 0],
    pattern: assignedAfterName('twilio', '[a-f0-9]{32}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWILIO_AUTH_TOKEN=37a98a7dc5ae61b940476bfdee650f14',
      'twilioAuthToken: "cb222d342a0fcd6cf1ba8a0b06c53cc4"',
    ],
    falsePositives: ['TWILIO_REGION=us1', 'TWILIO_REF=ecf95db7459bdc84f046'],
  },
];
