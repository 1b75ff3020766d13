import type { Rule } from '../types.js';

/**
 * Microsoft Teams incoming-webhook URLs (Office 365 connectors): the path after `webhook.office.com` carries the
 * tenant, the connector id and its secret; the subdomain before it (the organisation) is left as it is.
 */
export const microsoftTeamsRules: readonly Rule[] = [
  {
    id: 'microsoft-teams-webhook',
    category: 'secret',
    description:
      'Microsoft Teams incoming webhook URL (<org>.webhook.office.com/webhookb2/…/IncomingWebhook/…).',
    keywords: ['webhook.office.com'],
    matchStart: [0, 0],
    pattern:
      /webhook\.office\.com\/webhookb2\/[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}@[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}\/IncomingWebhook\/[a-z0-9]{32}\/[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}(?:\/[A-Za-z0-9_-]{20,80})?/i,
    truePositives: [
      'TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/08388e07-155e-4853-a10a-0734e2542b9a@98bc21c9-bc97-4362-a95b-78ac4dc111cb/IncomingWebhook/b2c6bbe2b7e63b28ce98b11b3e00609b/e392b122-f311-4ced-a5fb-5da0c7a24843',
      'requests.post("https://fabrikam.webhook.office.com/webhookb2/5e7ea7ad-6a2a-4f06-a8de-5102fe8a09b1@d46228d2-5311-49fe-af9d-6bd7f4f2a51b/IncomingWebhook/967bf960573b2db9121089c1bf9da7d7/d9392e9f-7b73-4a44-afee-de526d2183ed/V2L1d1H326ioofF7JmGQnjokeps0ePHCWGorgqcQAa", json=card)',
    ],
    falsePositives: [
      'post cards to https://contoso.webhook.office.com/webhookb2/ (see the connector settings)',
      'https://contoso.webhook.office.com/webhookb2/1f2e8a69-00bc-4dbb-ac6c-515e609b5bc2@a4714e4c-d0b2-460c-a162-317ef810c2f6/IncomingWebhook/',
    ],
  },
];
