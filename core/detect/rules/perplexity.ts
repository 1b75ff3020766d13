import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Perplexity API keys: `pplx-` + 48 alphanumerics. */
export const perplexityRules: readonly Rule[] = [
  {
    id: 'perplexity-api-key',
    category: 'secret',
    description: 'Perplexity API key (pplx- + 48 alphanumerics).',
    keywords: ['pplx-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])pplx-[A-Za-z0-9]{48}(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'PERPLEXITY_API_KEY=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',
      'client = OpenAI(api_key="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", base_url="https://api.perplexity.ai")',
    ],
    falsePositives: [
      'ref pplx-vRJpPC7ItkDjbXw6uzVr37c9lc2xrQ',
      'ref pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
];
