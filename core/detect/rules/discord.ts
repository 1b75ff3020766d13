import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';
import { keyedSecret } from './shapes.js';

/**
 * Discord: bot tokens are three dot-separated base64url parts (the user id, starting M, N or O, a 6-character
 * timestamp and a 27-38 character HMAC); application ids, client secrets and public keys have no prefix and
 * are found next to a discord name.
 */
export const discordRules: readonly Rule[] = [
  {
    id: 'discord-bot-token',
    category: 'secret',
    description: 'Discord bot token (base64 user id . 6 . 27-38 characters).',
    keywords: ['.'],
    // The first dot comes 24 to 26 characters after the start.
    matchStart: [-26, -24],
    pattern:
      /(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'DISCORD_BOT_TOKEN=MTk4NjIyNDgzNDcxOTI1MjQ4.GbrVMg.Yxt_TSzd9i0fZEKUIWmzjgB8iLYoQ7X',
      'client.login("NzU3NjY3MDc0NzAzNjc4MzEx.X9ZGPs.A9wSSnz8vHxBBsP9N2Ogr6nTl0nRIWvOLmO");',
    ],
    falsePositives: [
      'ref MTk4NjIyNDgzNDcxOTI1MjQ4.GbrVM.Yxt_TSzd9i0fZEKUIWmzjgB8iLYoQ7X', // 5-character middle
      'ref MTk4NjIyNDgzNDcxOTI1MjQ4.GbrVMg.Yxt_TSzd9i0fZEKUIWmzjgB8iL', // 24-character HMAC
      'ref PTk4NjIyNDgzNDcxOTI1MjQ4.GbrVMg.Yxt_TSzd9i0fZEKUIWmzjgB8iLYoQ7X', // not a user id
      'see docs.example.org/setup.html for the bot.',
    ],
  },
  keyedSecret({
    id: 'discord-api-token',
    description: 'Discord application public key or API token (64 hex) assigned to a discord key name.',
    names: ['discord'],
    value: '[a-f0-9]{64}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['DISCORD_PUBLIC_KEY=4d27d85662c89702022510fe847e775ab44111005c9cf8c12decbd7720d3bff0'],
    falsePositives: ['DISCORD_PUBLIC_KEY=4d27d85662c89702022510fe847e775ab44111005c9cf8c12decbd7720d3bff'],
  }),
  keyedSecret({
    id: 'discord-client-id',
    description: 'Discord application (client) id (18 digits) assigned to a discord key name.',
    names: ['discord'],
    value: '[0-9]{18}',
    minEntropy: 2,
    truePositives: ['DISCORD_CLIENT_ID=757667074703678311', 'discord_app_id: "757667074703678311"'],
    falsePositives: ['DISCORD_CLIENT_ID=75766707470367831', 'DISCORD_GUILD=000000000000000000'],
  }),
  keyedSecret({
    id: 'discord-client-secret',
    description: 'Discord client secret (32 characters) assigned to a discord key name.',
    names: ['discord'],
    value: '[a-z0-9=_-]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['DISCORD_CLIENT_SECRET=rVMgYxt_TSzd9i0fZEKUIWmzjgB8iLYo'],
    falsePositives: ['discord: rVMgYxt_TSzd9i0fZEKUIWmzjgB8iLY', 'DISCORD_CHANNEL=general-announcements'],
  }),
];
