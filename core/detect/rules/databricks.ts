import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Databricks personal access tokens: `dapi` + 32 hex, sometimes with a `-N` suffix. */
export const databricksRules: readonly Rule[] = [
  prefixedToken({
    id: 'databricks-api-token',
    description: 'Databricks personal access token (dapi + 32 hex, optional -N).',
    keywords: ['dapi'],
    body: 'dapi[a-f0-9]{32}(?:-\\d)?',
    flags: 'i',
    minEntropy: 3,
    truePositives: [
      'DATABRICKS_TOKEN=dapi3e7659ea8e6cfbb456ab0c97306ad2b3',
      'token = "dapi3e7659ea8e6cfbb456ab0c97306ad2b3-2"',
    ],
    falsePositives: [
      'ref dapi3e7659ea8e6cfbb456ab0c97306ad2b', // 31 hex
      'ref dapi3e7659ea8e6cfbb456ab0c97306ad2b3ab', // 34 hex
      'ref mydapi3e7659ea8e6cfbb456ab0c97306ad2b3', // glued to a word
      'ref dapi0000000000000000000000000000000',
    ],
  }),
];
