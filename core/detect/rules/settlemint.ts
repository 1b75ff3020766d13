import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** SettleMint access tokens: application (`sm_aat_`), personal (`sm_pat_`) and service (`sm_sat_`), + 16. */
export const settlemintRules: readonly Rule[] = [
  {
    id: 'settlemint-access-token',
    category: 'secret',
    description: 'SettleMint application, personal or service access token (sm_aat_/sm_pat_/sm_sat_ + 16).',
    keywords: ['sm_aat_', 'sm_pat_', 'sm_sat_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])sm_[aps]at_[A-Za-z0-9]{16}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SETTLEMINT_ACCESS_TOKEN=sm_pat_nLUahTfkmvy5JqT2',
      'settlemint login --token sm_aat_1dZ7zQ3L6O5lOnSm',
    ],
    falsePositives: ['ref sm_pat_diKnzusUzH', 'ref sm_xat_irtJsrSnNmNTr7wJ'],
  },
];
