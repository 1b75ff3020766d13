import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** LangSmith API keys: personal (`lsv2_pt_`) or service (`lsv2_sk_`), 32 hex, `_`, 10 hex. */
export const langsmithRules: readonly Rule[] = [
  {
    id: 'langsmith-api-key',
    category: 'secret',
    description: 'LangSmith personal access token or service key (lsv2_pt_/lsv2_sk_).',
    keywords: ['lsv2_pt_', 'lsv2_sk_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'LANGSMITH_API_KEY=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',
      'api_key="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"',
    ],
    falsePositives: [
      'ref lsv2_pt_0e48902b83a8e6bf1268fccc80f5fe1f', // no suffix
      'ref lsv2_xx_26e8e31590c4a4e54ee56d8f26c4eaba_6d22a5b8e0', // no such type
    ],
  },
];
