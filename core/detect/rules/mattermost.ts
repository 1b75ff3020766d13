import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Mattermost personal access and bot tokens: 26 lowercase alphanumerics, near a Mattermost key name. */
export const mattermostRules: readonly Rule[] = [
  {
    id: 'mattermost-access-token',
    category: 'secret',
    description: 'Mattermost access token: 26 alphanumerics assigned to a key named for Mattermost.',
    keywords: ['mattermost'],
    matchStart: [0, 0],
    pattern: assignedAfterName('mattermost', '[a-z0-9]{26}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MATTERMOST_TOKEN=71yfm3iedckogpmt9h16mf9tgv',
      'mattermost_bot_token: "pqjdub4zng7lsts06n88qbc6xz"',
    ],
    falsePositives: ['MATTERMOST_REF=s2teetsbthqt25fp', 'MATTERMOST_URL=https://chat.internal.test'],
  },
];
