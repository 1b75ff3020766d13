import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** CAST AI API keys: `castai_v1_` + 64 + `_` + 8 characters. */
export const castaiRules: readonly Rule[] = [
  prefixedToken({
    id: 'castai-api-key',
    description: 'CAST AI API key (castai_v1_ + 64 + _ + 8 characters).',
    keywords: ['castai_v1_'],
    body: 'castai_v1_[A-Za-z0-9]{64}_[A-Za-z0-9]{8}',
    minEntropy: 2,
    truePositives: [
      'CASTAI_API_TOKEN=castai_v1_oM1tlUMo9T6oN59cX6taRAv4KRt8mrJ9Ig4vdUI1nJWZo1b60fDTxlJH12zGQb67_qb5LxVxw',
    ],
    falsePositives: [
      'key = test_v1_oM1tlUMo9T6oN59cX6taRAv4KRt8mrJ9Ig4vdUI1nJWZo1b60fDTxlJH12zGQb67_qb5LxVxw',
      'ref castai_v1_oM1tlUMo9T6oN59cX6taRAv4KRt8mrJ9Ig4vdUI1nJWZo1b60fDTxlJH12zGQb67_qb5LxVx',
    ],
  }),
];
