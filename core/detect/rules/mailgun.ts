import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Mailgun: private API keys (`key-` + 32 hex) and webhook signing keys (32-8-8 hex) need a Mailgun key name
 * nearby; public validation keys carry their own `pubkey-` prefix.
 */
export const mailgunRules: readonly Rule[] = [
  {
    id: 'mailgun-private-api-token',
    category: 'secret',
    description: 'Mailgun private API key (key- + 32 hex) assigned to a key named for Mailgun.',
    keywords: ['mailgun'],
    matchStart: [0, 0],
    pattern: assignedAfterName('mailgun', 'key-[a-f0-9]{32}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MAILGUN_API_KEY=key-5fa1234343f6d74a4b8da3cab1133a34',
      'mailgun_api_key: "key-153fb831b22be262e502e5cf70fc4419"',
    ],
    falsePositives: [
      'MAILGUN_REF=key-1dce5de1a360e65b3009',
      'MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  {
    id: 'mailgun-pub-key',
    category: 'secret',
    description: 'Mailgun public validation key (pubkey- + 32 hex).',
    keywords: ['pubkey-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])pubkey-[a-f0-9]{32}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MAILGUN_PUBLIC_KEY=pubkey-519544dc85419aa75d57c5958455c2bb',
      "validate(email, 'pubkey-f0a49a10dfd9d3eb6283ac480e3a4ce6')",
    ],
    falsePositives: ['ref pubkey-7e99b605087745ab', 'ref pubkey-318fb0b3f5a35de3e26b7564a8955ca1e427'],
  },
  {
    id: 'mailgun-signing-key',
    category: 'secret',
    description: 'Mailgun webhook signing key (32-8-8 hex) assigned to a key named for Mailgun.',
    keywords: ['mailgun'],
    matchStart: [0, 0],
    pattern: assignedAfterName('mailgun', '[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MAILGUN_WEBHOOK_SIGNING_KEY=779c7a4bb1c90067e9b2952d1803f12b-75153030-b073f3b3',
      'mailgun_signing_key: "237cf68af98a556a124af73cd83a9ea4-27fda73d-5ee29cc7"',
    ],
    falsePositives: [
      'MAILGUN_WEBHOOK_SIGNING_KEY=e0d0a1654766c4dfb52f47a0857354fc-c620b4cf',
      'MAILGUN_DOMAIN=mg.example.org',
    ],
  },
];
