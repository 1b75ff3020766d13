import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Slack tokens always carry numeric ids (team, user, app); stand-ins such as `xoxb-your-token` do not. */
function hasDigitRun(value: string): boolean {
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++run >= 2) return true;
    } else run = 0;
  }
  return false;
}

export const slackRules: readonly Rule[] = [
  {
    id: 'slack-token',
    category: 'secret',
    description:
      'Slack token: bot (xoxb-), user (xoxp-), workspace (xoxa-), refresh (xoxr-), legacy (xoxs-, xoxo-), config (xoxe-, xoxe.xoxp-).',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxo-', 'xoxe-', 'xoxe.'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9_-])xox(?:[abposr]|e(?:\.xox[bp])?)-[0-9A-Za-z][0-9A-Za-z-]{12,249}[0-9A-Za-z](?![A-Za-z0-9_#*-])/,
    // Numeric team, user and bot ids lower the entropy of real tokens.
    minEntropy: 2.5,
    validate: hasDigitRun,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SLACK_BOT_TOKEN=xoxb-70564648314-253305039553-kpj8YyXrfMz3Rx4WIDoTq6ch',
      'client = WebClient(token="xoxp-2628178942-70841771993-8539180883411-2fc97b22ee1bc0e0206498dc76e7a927")',
      'refresh with xoxe.xoxp-1-OZE2EzkjOdSgxMyWuqtsWqr3t9h2MhCNQE66SIsJTGWgm2Dsgp6FnAjutkn38j9hzs0YDw5KkH70pEElfsImM2KF5dsLZJrNL8jCQquY7DXYCligpcIepFS4bUkUx2Y2dB7IEM1xNLyB',
    ],
    falsePositives: [
      'ref xoxb-your-bot-token-here',
      'ref xoxb-xxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx',
      'ref xoxb-1234', // too short
      'ref xoxp-596513491507-769314643389-427444193250-####################', // masked
      'ref xoxq-70564648314-253305039553-kpj8YyXrfMz3Rx4WIDoTq6ch', // no such token type
    ],
  },
  {
    id: 'slack-legacy-workspace-token',
    category: 'secret',
    description:
      'Slack legacy workspace access or refresh token, short form (xoxa-/xoxr- + optional version + 8–48).',
    keywords: ['xoxa-', 'xoxr-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])xox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,48}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    validate: (value) => /[0-9]/.test(value.slice(5)) && /[A-Za-z]/.test(value.slice(5)),
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['"access_token": "xoxa-rpp6otkjhxa7"', 'SLACK_REFRESH_TOKEN=xoxr-5-h8cwmq5p3k'],
    falsePositives: [
      'https://github.com/xoxa-team/xoxa-team.github.io', // an organisation name
      'ref xoxr-tu2mz', // too short
      'ref xoxa-refreshtoken', // no digit
    ],
  },
  {
    id: 'slack-app-token',
    category: 'secret',
    description: 'Slack app-level token (xapp-).',
    keywords: ['xapp-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])xapp-\d-[A-Z0-9]{9,12}-\d{10,16}-[a-z0-9]{32,80}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    truePositives: [
      'SLACK_APP_TOKEN=xapp-1-A0PZ0U4CXHR-6059113448524-faeb87732def3d48d7d681ec40e009d1b9bd69a869dce484669123b10e15548c',
    ],
    falsePositives: ['ref xapp-1-A0PZ0U4CXHR-6059113448524-faeb877', 'ref xapp-1-your-app-level-token'],
  },
  {
    id: 'slack-webhook-url',
    category: 'secret',
    description: 'Slack incoming webhook or workflow trigger URL.',
    keywords: ['hooks.slack.com'],
    // `https://` (8 characters) may come before the keyword.
    matchStart: [-8, 0],
    pattern: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{30,150}/,
    allowlist: [/X{4,}|x{6,}|\/T0+\/|\.\.\./],
    validate: hasDigitRun,
    truePositives: [
      'SLACK_WEBHOOK=https://hooks.slack.com/services/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',
      'curl -X POST -d \'{"text":"deploy done"}\' https://hooks.slack.com/services/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',
    ],
    falsePositives: [
      'post to https://hooks.slack.com/services/ with your webhook',
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'https://hooks.slack.com/services/...',
    ],
  },
];
