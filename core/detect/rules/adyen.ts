import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/** Adyen: API keys `AQE` + id `.` + 50-80 characters; client keys `test_`/`live_` + 30-40, next to an adyen name. */
export const adyenRules: readonly Rule[] = [
  prefixedToken({
    id: 'adyen-api-key',
    description: 'Adyen API key (AQE + 5 or more characters . 50-80 characters).',
    keywords: ['aqe'],
    body: 'AQE[a-z0-9]{5,64}\\.[A-Za-z0-9_=-]{50,80}',
    boundary: 'A-Za-z0-9_.-',
    after: 'A-Za-z0-9_=-',
    minEntropy: 2,
    truePositives: ['ADYEN_API_KEY=AQElcnmrozj.fom2NZiYm1RRqiz3QMhq1CAMZxesDskgwi9J8xNfhISCmTh7D9cA1VTPjith'],
    falsePositives: [
      'ref AQElcnmrozj.fom2NZiYm1RRqiz3QMhq1CAMZx',
      'ref AXElcnmrozj.fom2NZiYm1RRqiz3QMhq1CAMZxesDskgwi9J8xNfhISCmTh7D9cA1VTPjith',
    ],
  }),
  keyedSecret({
    id: 'adyen-client-key',
    description: 'Adyen client key (test_ / live_ + 30-40 characters) assigned to an adyen key name.',
    names: ['adyen'],
    value: '(?:test|live)_[A-Za-z0-9]{30,40}',
    minEntropy: 2,
    truePositives: ['ADYEN_CLIENT_KEY=test_luEJUfbK3IbDc4alLv0fuPC0BRVT4kEyax'],
    falsePositives: ['adyen: prod_luEJUfbK3IbDc4alLv0fuPC0BRVT4kEyax', 'ADYEN_ENVIRONMENT=live'],
  }),
];
