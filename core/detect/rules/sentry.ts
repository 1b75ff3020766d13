import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Organization auth tokens embed base64 JSON claims that name the region URL. */
function hasRegionClaim(value: string): boolean {
  return /LCJyZWdpb25fdXJs|InJlZ2lvbl91cmwi|cmVnaW9uX3VybCI6/.test(value);
}

/**
 * Sentry auth tokens: user tokens (`sntryu_` + 64 hex), organization tokens (`sntrys_` + base64 JSON claims +
 * `_` + 43), and the older 64-hex tokens, which need a Sentry key name nearby.
 */
export const sentryRules: readonly Rule[] = [
  {
    id: 'sentry-user-token',
    category: 'secret',
    description: 'Sentry user auth token (sntryu_ + 64 hex).',
    keywords: ['sntryu_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])sntryu_[a-f0-9]{64}(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SENTRY_AUTH_TOKEN=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',
      'sentry-cli --auth-token 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 releases list',
    ],
    falsePositives: [
      'ref sntryu_da2c248d717672bfb789d195bd94e8b7553cc340',
      'ref sntryu_0000000000000000000000000000000000000000000000000000000000000000',
    ],
  },
  {
    id: 'sentry-org-token',
    category: 'secret',
    description: 'Sentry organization auth token (sntrys_ + base64 claims with region_url + _ + 43).',
    keywords: ['sntrys_eyjpyxqio'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9_])sntrys_eyJpYXQiO[A-Za-z0-9+/]{20,400}={0,2}_[A-Za-z0-9+/]{43}(?![A-Za-z0-9+/=_])/,
    minEntropy: 4.5,
    validate: hasRegionClaim,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      // {"iat":1718000000.5,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme-corp"}
      'SENTRY_AUTH_TOKEN=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',
    ],
    falsePositives: [
      'ref sntrys_eyJpYXQiOjE3MTgwMDAwMDAuNSwidXJsIjoiaHR0cHM6Ly9zZW50cnkuaW8ifQ==_oOfrlppvgYoogXOFmrLF5c531T4Yzi4nLjg6XwE4Xx9', // no region_url claim
      'ref sntrys_eyJpYXQiOjE3MTgwMDAwMDAuNSwicmVnaW9uX3VybCI6IiJ9_uYZo3hhYpd7SaZ4WYzfG', // secret too short
    ],
  },
  {
    id: 'sentry-access-token',
    category: 'secret',
    description: 'Sentry auth token, older format: 64 hex assigned to a key named for Sentry.',
    keywords: ['sentry'],
    matchStart: [0, 0],
    pattern: assignedAfterName('sentry', '[a-f0-9]{64}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SENTRY_AUTH_TOKEN=6460bf57054331deb05b9be41c7a5675985f17935fa48690c5366221e2b25024',
      '[auth]\nsentry_token = fea484d826e7372d0dc29a8354f9d6f288016132fdd9c00b78542bfe5eb819c8',
    ],
    falsePositives: [
      'SENTRY_DSN=https://a18ee92e97a56b0f7eefcd74f1defd49@o1.ingest.sentry.io/42',
      'SENTRY_RELEASE=5f142a0bb5d491bb09f7d445e9edd0b36b147984',
    ],
  },
];
