import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Hugging Face user access tokens: `hf_` + 34 letters (organisation tokens: `api_org_` + 34). */
export const huggingfaceRules: readonly Rule[] = [
  {
    id: 'huggingface-access-token',
    category: 'secret',
    description: 'Hugging Face access token (hf_ + 34 letters) or organisation token (api_org_ + 34).',
    keywords: ['hf_', 'api_org_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])(?:hf_|api_org_)[A-Za-z]{34}(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'HF_TOKEN=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',
      'login(token="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")',
    ],
    falsePositives: [
      'ref hf_VRzqpCNscRjrlMPnmDndAwXkwmWUcPKAH', // 33 letters
      'ref hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'model.push_to_hub("acme/model", private=True)',
    ],
  },
];
