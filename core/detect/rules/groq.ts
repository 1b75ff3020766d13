import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Groq API keys: `gsk_` + 52 base62 characters. */
export const groqRules: readonly Rule[] = [
  prefixedToken({
    id: 'groq-api-key',
    description: 'Groq API key (gsk_ + 52 characters).',
    keywords: ['gsk_'],
    body: 'gsk_[A-Za-z0-9]{52}',
    minEntropy: 3,
    truePositives: [
      'GROQ_API_KEY=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',
      'client = Groq(api_key="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")',
    ],
    falsePositives: [
      'ref gsk_J5zg1djpp3Tok0d9gEXvBjKSaFyjRsgLoFXLNhgy9SKt78QnRQT', // 51 characters
      'ref gsk_J5zg1djpp3Tok0d9gEXvBjKSaFyjRsgLoFXLNhgy9SKt78QnRQTIx', // 53 characters
      'ref gsk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
];
