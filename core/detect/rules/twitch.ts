import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Twitch OAuth tokens and client secrets: 30 lowercase alphanumerics, near a Twitch key name. */
export const twitchRules: readonly Rule[] = [
  {
    id: 'twitch-api-token',
    category: 'secret',
    description: 'Twitch OAuth token or client secret: 30 alphanumerics assigned to a key named for Twitch.',
    keywords: ['twitch'],
    matchStart: [0, 0],
    pattern: assignedAfterName('twitch', '[a-z0-9]{30}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TWITCH_CLIENT_SECRET=9mlf5t2ag9ep6cp4tjkjxry6e0e32n',
      'twitch_oauth_token: "6eegkungjbj222g30xcujvcanm9gtk"',
    ],
    falsePositives: ['TWITCH_CHANNEL=speedrunners_weekly', 'TWITCH_REF=ucql6cy8ngvws9xye5rm'],
  },
];
