import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Dynatrace tokens: `dt0c01.` (API, PaaS) and the other `dt0xNN.` types, a 24-character id and a 64-character secret. */
export const dynatraceRules: readonly Rule[] = [
  prefixedToken({
    id: 'dynatrace-api-token',
    description: 'Dynatrace API or platform token (dt0c01. + 24 + . + 64 characters).',
    keywords: ['dt0'],
    body: 'dt0[a-z][0-9]{2}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}',
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 3,
    truePositives: [
      'DT_API_TOKEN=dt0c01.Y0UK1IF1Z3EHEYLNX6V07I0P.iolxdejexfbb5ce8fchw6a51bon3m489sjw4t1w0cba8trov69yhex2bwz7pb198',
      'Authorization: Api-Token dt0s16.Y0UK1IF1Z3EHEYLNX6V07I0P.IOLXDEJEXFBB5CE8FCHW6A51BON3M489SJW4T1W0CBA8TROV69YHEX2BWZ7PB198',
    ],
    falsePositives: [
      'ref dt0c01.Y0UK1IF1Z3EHEYLNX6V07I0P.iolxdejexfbb5ce8fchw6a51bon3m489sjw4t1w0cba8trov69yhex2bwz7pb19', // 63
      'ref dt0c01.Y0UK1IF1Z3EHEYLNX6V07I0.iolxdejexfbb5ce8fchw6a51bon3m489sjw4t1w0cba8trov69yhex2bwz7pb198', // 23
    ],
  }),
];
