import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** SendGrid API keys: `SG.` + 22-character key id + `.` + 43-character secret (base64url). */
export const sendgridRules: readonly Rule[] = [
  {
    id: 'sendgrid-api-key',
    category: 'secret',
    description: 'SendGrid API key (SG.<22>.<43>).',
    keywords: ['sg.'],
    matchStart: [0, 0],
    // No boundaries: the two-dot shape is distinctive, and keys pasted into prose lose the spaces around them.
    pattern: /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['SENDGRID_API_KEY=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'],
    falsePositives: ['ref SG.CJS39vilRfCbRcSLJBKcs1.mNrQlMJfFGial0VLd3S', 'see SG.API.reference for details'],
  },
];
