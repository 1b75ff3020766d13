import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Chief Tools tokens: personal (`ctp_`), access (`cto_`) and refresh (`ctr_`), + 30-248 characters. */
export const chieftoolsRules: readonly Rule[] = [
  prefixedToken({
    id: 'chieftools-token',
    description:
      'Chief Tools personal access, access or refresh token (ctp_ / cto_ / ctr_ + 30-248 characters).',
    keywords: ['ctp_', 'cto_', 'ctr_'],
    body: 'ct[por]_[A-Za-z0-9]{30,248}',
    minEntropy: 3,
    truePositives: [
      'CHIEF_TOKEN=ctp_e2SrM2TigTDT1kcx6eoluTV2sEn6wsvI5aap',
      'refresh: ctr_e2SrM2TigTDT1kcx6eoluTV2sEn6wsvI5aap',
    ],
    falsePositives: [
      'ref ctp_e2SrM2TigTDT1kcx6eoluTV2s',
      'ref ctx_e2SrM2TigTDT1kcx6eoluTV2sEn6wsvI5aap',
      'ref cto_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
];
