import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * New Relic keys. User API keys (`NRAK-`), browser (`NRJS-`) and Insights insert keys (`NRII-`) carry a prefix;
 * ingest license keys end in `NRAL`; the 64-character user API id needs a New Relic key name nearby.
 */
export const newRelicRules: readonly Rule[] = [
  {
    id: 'new-relic-user-api-key',
    category: 'secret',
    description: 'New Relic user API key (NRAK- + 27 characters).',
    keywords: ['nrak-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])NRAK-[A-Za-z0-9]{27}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'NEW_RELIC_API_KEY=NRAK-1C42MARN32GWODVZXCMZ34LH6G8',
      'newrelic:\n  api_key: "NRAK-RJLSYVK5I106TQ4J3F32J8EJLB1"',
    ],
    falsePositives: ['ref NRAK-L3X6Z06IU23TIY01IRD2', 'ref NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX'],
  },
  {
    id: 'new-relic-browser-api-token',
    category: 'secret',
    description: 'New Relic browser ingest key (NRJS- + 19 hex).',
    keywords: ['nrjs-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])NRJS-[a-f0-9]{19}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'licenseKey: "NRJS-7216331dae71966c0b0"',
      'NEW_RELIC_BROWSER_KEY=NRJS-aeec36ac8ef4a8e4ed2',
    ],
    falsePositives: ['ref NRJS-2ed7b4c2c195', 'ref NRJS-47321faf06fd8af8768fdc4'],
  },
  {
    id: 'new-relic-insert-key',
    category: 'secret',
    description: 'New Relic Insights insert key (NRII- + 32 characters).',
    keywords: ['nrii-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])NRII-[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'X-Insert-Key: NRII-sqRN8H_D2FEbV7AODndoVJcTF5Gbi7Au',
      'NEW_RELIC_INSERT_KEY="NRII-6csP1KDfXt44qoqlh0wut66WJ0z3xahD"',
    ],
    falsePositives: ['ref NRII-1WVL09JS4XkZbc1j', 'ref NRII-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
  {
    id: 'new-relic-license-key',
    category: 'secret',
    description: 'New Relic ingest license key (36 characters ending in NRAL).',
    keywords: ['nral'],
    // The `NRAL` suffix sits 36 characters into the key.
    matchStart: [-36, -36],
    pattern: /(?<![A-Za-z0-9_-])[a-z0-9]{36}NRAL(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'NEW_RELIC_LICENSE_KEY=e3995391732910cd40b989065acc461b9878NRAL',
      'license_key: eu01xx4c9af379b48223befe878e31536c7fNRAL',
    ],
    falsePositives: ['ref 124d657d38c737003f96NRAL', 'ref e34b458313c81ebee0a5f9a68d2c1f78b24aNRALX'],
  },
  {
    id: 'new-relic-user-api-id',
    category: 'secret',
    description: 'New Relic user API id: 64 alphanumerics assigned to a key named for New Relic.',
    keywords: ['new-relic', 'newrelic', 'new_relic'],
    matchStart: [0, 0],
    pattern: assignedAfterName('new[_-]?relic', '[a-z0-9]{64}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'NEW_RELIC_USER_API_ID=3bhqw9i04assybn8pohdlol10ef8pgdf4vuok1k8y7c7sjo1tot9tg4yi9sc8kej',
      'newrelic_api_id: "9zabqy9342db3bmh2tyu54vghrvdconrz1k0bbn0kop9eur5m7l3dfkn3u3uhxrf"',
    ],
    falsePositives: [
      'NEW_RELIC_APP_NAME=checkout-service',
      'NEW_RELIC_USER_API_ID=kfi0xlkvua1rbqpm9x7x5wpgnpv28o9vckm3oe7w',
    ],
  },
];
