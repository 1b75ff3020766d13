import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Telegram bot tokens: `<bot id>:<35 characters>`. Issued tokens start the secret with `AA`, which is found
 * anywhere; other shapes (5–16 digit ids, `A…`) only next to a Telegram key name.
 */
export const telegramRules: readonly Rule[] = [
  {
    id: 'telegram-bot-token',
    category: 'secret',
    description: 'Telegram bot token (8–10 digit bot id + :AA + 33 characters).',
    keywords: [':aa'],
    // The keyword is the colon after the 8–10 digit bot id.
    matchStart: [-10, -8],
    pattern: /(?:(?<![A-Za-z0-9_:-])|(?<=\/bot))[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TELEGRAM_BOT_TOKEN=6147241378:AAE6r6SF52zCuJFcMQPkerhXA53TCbckxLn',
      'bot = Bot(token="720746383:AAKF0EoNw3zTz38AV9AMCCVyoNSfUU5qOR8")',
      'https://api.telegram.org/bot1511293553:AAxgfippOKvygVx42sEnolN0M3gDCbcSVH9/getMe',
    ],
    falsePositives: [
      'ref 4243658772:AABFc9sSFFD3V5K6nktqR0', // secret too short
      'ref 3961:AAlR3n3_bqM_LchO-2vSZetDfLP8zzVK_Z2', // bot id too short
      'at 10:30:AA the meeting started',
    ],
  },
  {
    id: 'telegram-bot-api-token',
    category: 'secret',
    description:
      'Telegram bot token (5–16 digits + :A + 34 characters) assigned to a key named for Telegram.',
    keywords: ['telegr'],
    matchStart: [0, 0],
    pattern: assignedAfterName('telegr', '[0-9]{5,16}:A[A-Za-z0-9_-]{34}'),
    secretGroup: 1,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'telegram_token = "250448607657:AnMB1fuELES34L488cHng00Vf1NYp5UiBZZ"',
      '<telegramToken>\n    2511939:AfaTOVkH3WTabpejSAeqWIb0c3BRxtr22qV\n</telegramToken>',
    ],
    falsePositives: [
      'telegram_chat = "5115:AqFwbZClsIzCUAitCwsCXrhyrG8WAXhg4oV"', // id too short
      'telegram_chat = "513562904:BKMCwH9niyNQXdvTO6E9PrpX3Ee0QwsDbLL"', // no A
      'telegram_chat = "chat:AgencyIdentificationCodeContentType"',
    ],
  },
];
