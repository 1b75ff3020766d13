import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** How an IBM key name is assigned its value: quotes, `=`, `:=` or `:`, and quotes again. */
const ASSIGN = '["\']?\\s{0,3}(?::=|=|:)\\s{0,3}["\']?';

/**
 * IBM Cloud (detect-secrets' IBM plugins): IAM API keys (44 base64url characters), Cloudant passwords (64
 * hex) and API keys (24 letters), and Cloud Object Storage HMAC secrets (48 hex), each next to its key name.
 */
export const ibmRules: readonly Rule[] = [
  {
    id: 'ibm-cloud-iam-key',
    category: 'secret',
    description:
      'IBM Cloud IAM API key (44 characters) assigned to an ibm / cloud_iam key, password or token name.',
    keywords: ['ibm', 'cloud_iam', 'cloud-iam', 'cloudiam'],
    matchStart: [0, 0],
    pattern: new RegExp(
      `(?<![A-Za-z])(?:ibm|cloud[_-]?iam)[\\w-]{0,24}?(?:api[_-]?key|key|pwd|password|pass|token)${ASSIGN}([A-Za-z0-9_-]{44})(?![A-Za-z0-9_-])`,
      'i',
    ),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'IBMCLOUD_API_KEY=pm1eQLC1KgSGUVt4cYNR1MCOf5aZrIFdTTQkppkmpTKI',
      '"ibm-iam_key" := "pm1eQLC1KgSGUVt4cYNR1MCOf5aZrIFdTTQkppkmpTKI"',
      'cloud_iam_token: pm1eQLC1KgSGUVt4cYNR1MCOf5aZrIFdTTQkppkmpTKI',
    ],
    falsePositives: [
      'ibm_iam_key := pm1eQLC1KgSGUVt4cYNR1MCOf5aZrIFdTTQkppkmpTKIextra', // too long
      'ibm-cloud-region = us-south',
      'iam_api_key="%s" % IBM_IAM_API_KEY_ENV',
    ],
  },
  {
    id: 'ibm-cloudant-credential',
    category: 'secret',
    description:
      'IBM Cloudant password (64 hex) or API key (24 letters) assigned to a cloudant key or password name.',
    keywords: ['cloudant', 'clou'],
    matchStart: [0, 0],
    pattern: new RegExp(
      `(?<![A-Za-z])(?:cloudant|clou)[_-]?(?:api[_-]?)?(?:key|pwd|pw|password|pass|token)${ASSIGN}([0-9a-f]{64}|[a-z]{24})(?![A-Za-z0-9_-])`,
      'i',
    ),
    secretGroup: 1,
    minEntropy: 2.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      "cloudant_password='a969f4525be430eaa0699d08d9f79956be4f0c6da325b4aa17738239efebe730'",
      'CLOUDANT_APIKEY = "kqhzrcmwvdbnstjpxeoylgaf"',
    ],
    falsePositives: [
      'cloudant_password = "a-short-password"',
      'cloudant_url = https://acme.cloudantnosqldb.appdomain.cloud',
    ],
  },
  {
    id: 'ibm-cos-hmac-secret',
    category: 'secret',
    description:
      'IBM Cloud Object Storage HMAC secret access key (48 hex) assigned to a cos secret key name.',
    keywords: ['cos'],
    // `ibm_cos…` starts up to 4 characters before `cos`.
    matchStart: [-4, 0],
    pattern: new RegExp(
      `(?<![A-Za-z])(?:ibm[_-]?)?cos[_-]?(?:hmac[_-]?)?secret[_-]?(?:access[_-]?)?key${ASSIGN}([a-f0-9]{48})(?![A-Za-z0-9_-])`,
      'i',
    ),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'COS_HMAC_SECRET_ACCESS_KEY = "4137e24f66d77df47762b9beb14cf8ef35e8596e30affe77"',
      'ibm_cos_secret_key: 4137e24f66d77df47762b9beb14cf8ef35e8596e30affe77',
    ],
    falsePositives: [
      'cos_secret_key_id = 4137e24f66d77df47762b9beb14cf8ef35e8596e30affe77',
      'cos_secret_key_name = "hmac-writer"',
    ],
  },
];
