import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Yandex Cloud: IAM tokens (`t1.` + header + `.` + 86) and API keys (`AQVN` + 35–38) carry a prefix; static
 * access keys for the S3-compatible API (`YC` + 38) need a Yandex key name nearby.
 */
export const yandexRules: readonly Rule[] = [
  {
    id: 'yandex-access-token',
    category: 'secret',
    description: 'Yandex Cloud IAM token (t1.<header>.<86 characters>).',
    keywords: ['t1.'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_.-])t1\.[A-Za-z0-9_-]{1,200}={0,2}\.[A-Za-z0-9_-]{86}={0,2}(?![A-Za-z0-9_=.-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'YC_IAM_TOKEN=t1.S-RaQJvvkoPhk8qAVIjivnrnJrXrbMvNwVcsR32t9_UDK8IgLmLB7XONzsZt.Z2Rh1UBxvgHl_6UFdrcvUndYQoye6fgYJK6q9uGwGGc4YH1zUp-mjQcnY1V5h5COSdEGL0KEQGF5NeLNscaMqL',
      'Authorization: Bearer t1.9euelZq7Cu20YDOY-1VrLb7vb0Vfy0-DPM-vFIk0AsXixy8==.zT1EnO1DKKogS5lfNqMTFkED8I63xrazfB_zfiooaP-Ul3H_Lo82n69yxOiWRLZ-pYw4YgA5c50Lu5V65KUx3E',
    ],
    falsePositives: [
      'instance_type = "t1.micro"',
      'ref t1.LSFCKgoGD74AzoXI-IQiE2XuD-ZZmgw7IQgxpuS07XFkr7fKTniqD9L4U0Iy.1lFQLTjLB10mlXYW7mXHy1l98XCr9ARESnNAzhKX',
    ],
  },
  {
    id: 'yandex-api-key',
    category: 'secret',
    description: 'Yandex Cloud API key (AQVN + 35–38 characters).',
    keywords: ['aqvn'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_+/-])AQVN[A-Za-z0-9_-]{35,38}(?![A-Za-z0-9_+/=-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'YC_API_KEY=AQVN5k2cJVO2CrC7iTyzjNKVZRzWr9OPQz6hfEHO',
      'Authorization: Api-Key AQVN3lzX16nU6qTBzTj-YYyiqCUOqyEPOaCEtzkueo',
    ],
    falsePositives: ['ref AQVNgjJe8vVJCv5W4igfanho', 'ref AQVNxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
  {
    id: 'yandex-aws-access-token',
    category: 'secret',
    description: 'Yandex Cloud static access key secret (YC + 38) assigned to a key named for Yandex.',
    keywords: ['yandex'],
    matchStart: [0, 0],
    pattern: assignedAfterName('yandex', 'YC[A-Za-z0-9_-]{38}'),
    secretGroup: 1,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'YANDEX_SECRET_ACCESS_KEY=YCNYK3-mzuA8S4hM1scpQHnhoG_uKkO_CxdHU6CY',
      'yandex_storage_secret: "YC4la2-LQaZZcR78uNmKOpdOfYC-GWN8VB_6YSqm"',
    ],
    falsePositives: ['YANDEX_FOLDER_ID=b1gf4drvrjf8ht3bi0um', 'YANDEX_REF=YCHHMFaMaRS2VjuxtQVJ4D'],
  },
];
