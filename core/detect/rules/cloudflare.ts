import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/**
 * Cloudflare: scannable tokens (`cfat_` account, `cfut_` user, `cfk_` global key, 48 characters with a
 * checksum), Origin CA keys (`v1.0-` + 24 hex + `-` + 146 hex), and the older API tokens (40) and global
 * API keys (37 hex), which have no prefix and are found next to a cloudflare name.
 */
export const cloudflareRules: readonly Rule[] = [
  prefixedToken({
    id: 'cloudflare-scannable-token',
    description:
      'Cloudflare account or user API token, or global API key (cfat_, cfut_, cfk_ + 48 characters).',
    keywords: ['cfat_', 'cfut_', 'cfk_'],
    body: 'cf(?:at|ut|k)_[A-Za-z0-9]{48}',
    minEntropy: 3,
    truePositives: [
      'CLOUDFLARE_API_TOKEN=cfat_QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66dd545cb6',
      'Authorization: Bearer cfut_QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66dd545cb6',
      'X-Auth-Key: cfk_QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66dd545cb6',
    ],
    falsePositives: [
      'ref cfat_QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66dd545cb', // 47 characters
      'ref cfat_QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66dd545cb6a', // 49 characters
      'ref xcfat_QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66dd545cb6', // glued to a word
      'ref cf_QkuPmSzbiD2awaMDzey3GcaWiNvcpsV9Ry7GVS66dd545cb6',
    ],
  }),
  prefixedToken({
    id: 'cloudflare-origin-ca-key',
    description: 'Cloudflare Origin CA key (v1.0- + 24 hex + - + 146 hex).',
    keywords: ['v1.0-'],
    body: 'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}',
    minEntropy: 3,
    truePositives: [
      'CLOUDFLARE_ORIGIN_CA_KEY: v1.0-be4cce391ba1959969a23c1c-397817591e33cf7428e98e9f095915bd8338c7ff4c442b9599b6e47b16c2e5161929610cf1188a269a3c4a6aeac035a0f6ebeb03673e2bc5d15e2e3892af8b655f2ea72baaed76794a',
    ],
    falsePositives: [
      'ref v1.0-be4cce391ba1959969a23c1c-397817591e33cf7428e98e9f095915bd8338c7ff4c442b9599b6e47b16c2e5161929', // short
      'released v1.0-beta and v1.0-rc1',
    ],
  }),
  keyedSecret({
    id: 'cloudflare-api-key',
    description: 'Cloudflare API token (40 characters) assigned to a cloudflare key name.',
    names: ['cloudflare'],
    value: '[a-z0-9_-]{40}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'CLOUDFLARE_API_TOKEN=BGbknaOFb10S0yT7xXzAdTTcKWFi9iHPkOE6noey',
      'cloudflare: "BGbknaOFb10S0yT7xXzAdTTcKWFi9iHPkOE6noey"',
    ],
    falsePositives: [
      'CLOUDFLARE_ZONE=BGbknaOFb10S0yT7xXzAdTTcKWFi9iHPkOE6noe', // 39 characters
      'CLOUDFLARE_ACCOUNT=acme-production',
    ],
  }),
  keyedSecret({
    id: 'cloudflare-global-api-key',
    description: 'Cloudflare global API key (37 hex characters) assigned to a cloudflare key name.',
    names: ['cloudflare'],
    value: '[a-f0-9]{37}',
    valueCaseInsensitive: true,
    minEntropy: 2,
    truePositives: [
      'CLOUDFLARE_GLOBAL_API_KEY: 25cfb1bb228e38aee823402aebc78860dd545',
      'cloudflare: "25cfb1bb228e38aee823402aebc78860dd545"',
    ],
    falsePositives: [
      'CLOUDFLARE_ZONE_ID=25cfb1bb228e38aee823402aebc78860', // 32 characters: a zone id
      'CLOUDFLARE_EMAIL=ops',
    ],
  }),
];
