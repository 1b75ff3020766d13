import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Harness personal (`pat.`) and service account (`sat.`) tokens: account id . token id . secret. */
export const harnessRules: readonly Rule[] = [
  prefixedToken({
    id: 'harness-api-key',
    description: 'Harness personal or service account token (pat./sat. + 22 . 24 . 20 characters).',
    keywords: ['pat.', 'sat.'],
    body: '(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}',
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 3,
    truePositives: [
      'HARNESS_API_KEY=pat.8Dz_sbE2Gz2OA9dyWyeAu0.w4dPh7BccKhifRjlVw4oRVR7.EI1mc3wpgYM28IqpJMa3',
      'x-api-key: sat.8Dz_sbE2Gz2OA9dyWyeAu0.w4dPh7BccKhifRjlVw4oRVR7.EI1mc3wpgYM28IqpJMa3',
    ],
    falsePositives: [
      'ref pat.8Dz_sbE2Gz2OA9dyWyeAu0.w4dPh7BccKhifRjlVw4oRVR7.EI1mc3wpgYM28IqpJMa', // 19
      'ref pat.8Dz_sbE2Gz2OA9dyWyeAu0.w4dPh7BccKhifRjlVw4oRVR.EI1mc3wpgYM28IqpJMa3', // 23
      'import pat.utils.helpers',
    ],
  }),
];
