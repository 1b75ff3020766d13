import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Microsoft Azure: Entra ID (Azure AD) client secrets carry `Q~` at offset 4; storage account keys are 88 base64. */
export const azureRules: readonly Rule[] = [
  {
    id: 'azure-ad-client-secret',
    category: 'secret',
    description:
      'Azure AD (Entra ID) application client secret (3 characters, a digit, Q~, 31-34 characters).',
    keywords: ['q~'],
    // The secret starts four characters before its `Q~`.
    matchStart: [-4, -4],
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'AZURE_CLIENT_SECRET=Rc28Q~xh1nizHvSnHHRU9l0iGgGIlY71s.Kd_f3',
      "-ClientSecret 'Wm.4Q~Rc2lxh1nizHvSnHHRU9l0iGgGIlY71s'",
      '<value>Ab_7Q~k2_lxh1niz~HvSnHHRU9l0iGgGIlY71s</value>',
    ],
    falsePositives: [
      'ref Rc28Q~xh1nizHvSnHHRU9l0iGgGIlY71', // 29 after Q~
      'ref Rc2lxQ~xh1nizHvSnHHRU9l0iGgGIlY71s.Kd_f3', // no digit before Q~
      'ref Rc28Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  {
    id: 'azure-storage-account-key',
    category: 'secret',
    description: 'Azure storage account key (88 base64 characters) in a connection string AccountKey= field.',
    keywords: ['accountkey'],
    matchStart: [0, 0],
    pattern: /AccountKey["']?\s{0,3}[=:]\s{0,3}["']?([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/i,
    secretGroup: 1,
    minEntropy: 4,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey=aLUD0j3q3ZVKzU3+I/QNQfHmK3N48/PG66KSotXl0nwezc4nbk46+/GI8ID/OGQan/WlACN7UOicQlV/VSyQjg==;EndpointSuffix=core.windows.net',
      '"accountKey": "aLUD0j3q3ZVKzU3+I/QNQfHmK3N48/PG66KSotXl0nwezc4nbk46+/GI8ID/OGQan/WlACN7UOicQlV/VSyQjg=="',
    ],
    falsePositives: [
      'AccountKey=aLUD0j3q3ZVKzU3+I/QNQfHmK3N48/PG66KSotXl0nwezc4nbk46+/GI8ID/OGQan==', // too short
      'AccountKey=<storage-account-key>',
      'AccountKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
    ],
  },
  {
    id: 'azure-data-factory-shir-key',
    category: 'secret',
    description:
      'Azure Data Factory self-hosted integration runtime key (IR@<guid>@<factory>@<region>@<44 base64>).',
    keywords: ['ir@'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9_-])IR@[0-9A-Za-z-]{36}@[^@\s]{1,90}@[0-9A-Za-z=-]{0,64}@[A-Za-z0-9+/=]{44}(?![A-Za-z0-9+/=])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'AuthKey: IR@5f3c2a1b-9d8e-4f7a-b6c5-d4e3f2a1b0c9@adf-acme-prod@we@Wn9DHKjkqPxFz7csclq34FCpcp/BT8c7E9s19A2iFf4=',
    ],
    falsePositives: [
      'ref IR@5f3c2a1b-9d8e-4f7a-b6c5-d4e3f2a1b0c9@adf-acme-prod@we@short',
      'the IR@ prefix marks a runtime key',
    ],
  },
];
