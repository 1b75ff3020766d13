import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Notion integration tokens: current `ntn_` + 11 digits + 35 alphanumerics, legacy `secret_` + 43. */
export const notionRules: readonly Rule[] = [
  {
    id: 'notion-api-token',
    category: 'secret',
    description: 'Notion integration token (ntn_ + 11 digits + 35 alphanumerics).',
    keywords: ['ntn_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])ntn_[0-9]{11}[A-Za-z0-9]{35}(?![A-Za-z0-9_])/,
    minEntropy: 4,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'NOTION_TOKEN=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',
      'const notion = new Client({ auth: "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" });',
    ],
    falsePositives: [
      'ref ntn_73248019464', // no body
      'ref ntn_56984598314uyrv6koZQSxgzKB35WxJ', // too short
      'ref ntn_665662359858446072652893141564340385750496616928253524637362', // digits only, too long
    ],
  },
  {
    id: 'notion-integration-token',
    category: 'secret',
    description: 'Notion internal integration secret, legacy format (secret_ + 43 alphanumerics).',
    keywords: ['secret_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])secret_[A-Za-z0-9]{43}(?![A-Za-z0-9_])/,
    minEntropy: 4,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'NOTION_API_KEY=secret_beCIHD5XITxdd4VVl9xWmXwe0zOZLSWbfTcug9IjAFa',
      'auth: "secret_FRs8LTcmzcN7IVbIvLL6AwclAfLbUb9aFr0Vw6mCPMW"',
    ],
    falsePositives: [
      'client_secret_3staH4P3ejzn7Jwys3K4nBrhh7MOE4mdJ5GUTA5EzeY', // part of a longer name
      'ref secret_ZXHv4lvrI5wjQPmj8Xc7kUFG3nYEzZ', // too short
      'ref secret_key_value_for_the_staging_environment_here',
    ],
  },
];
