import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** MaxMind license keys (new format): 6 alphanumerics, `_`, 29 alphanumerics, `_mmk`. */
export const maxmindRules: readonly Rule[] = [
  {
    id: 'maxmind-license-key',
    category: 'secret',
    description: 'MaxMind license key (<6>_<29>_mmk).',
    keywords: ['_mmk'],
    // The `_mmk` suffix sits 36 characters into the key.
    matchStart: [-36, -36],
    pattern: /(?<![A-Za-z0-9_])[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk(?![A-Za-z0-9_])/,
    minEntropy: 4,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MAXMIND_LICENSE_KEY=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',
      'LicenseKey 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',
    ],
    falsePositives: ['ref F4GUsT_By5dMsTJoGtOLd3bzoD0_mmk', 'ref 8ulv2x_ODCQBmFVXwHjXouTY9Sxxtt8rt381_mmkx'],
  },
];
