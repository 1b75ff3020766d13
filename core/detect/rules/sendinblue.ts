import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Brevo (Sendinblue) API keys (`xkeysib-`) and SMTP keys (`xsmtpsib-`): 64 hex, `-`, 16 alphanumerics. */
export const sendinblueRules: readonly Rule[] = [
  {
    id: 'sendinblue-api-token',
    category: 'secret',
    description: 'Brevo (Sendinblue) API or SMTP key (xkeysib-/xsmtpsib- + 64 hex + -16).',
    keywords: ['xkeysib-', 'xsmtpsib-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'BREVO_API_KEY=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',
      'smtp_password: xsmtpsib-8e60238aa8fb3658a6ab10b46fa350470722cfd287042f38b9aa47cdfe8bc539-Idd1dpbVqvcw8Q2k',
    ],
    falsePositives: [
      'ref xkeysib-6032e3b012e57c058ffd391291ea0d067e916873d507ed49c56219b154b6d349',
      'ref xkeysib-c47ed7d9c395353bcc8f59be0316c8f3fc1fc994-1fzgMEyaB832DXdR',
    ],
  },
];
