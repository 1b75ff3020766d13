import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** 42 Intra (École 42) OAuth client secrets: `s-s4t2ud-` or `s-s4t2af-` + 64 hex. */
export const intra42Rules: readonly Rule[] = [
  prefixedToken({
    id: 'intra42-client-secret',
    description: '42 Intra client secret (s-s4t2ud- / s-s4t2af- + 64 hex).',
    keywords: ['s-s4t2'],
    body: 's-s4t2(?:ud|af)-[a-f0-9]{64}',
    minEntropy: 3,
    truePositives: [
      'INTRA_CLIENT_SECRET=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',
      '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',
    ],
    falsePositives: [
      'ref s-s4t2ud-a969f4525be430eaa0699d08d9f79956be4f0c6da325b4aa17738239efebe73', // 63 hex
      'ref s-s4t2xx-a969f4525be430eaa0699d08d9f79956be4f0c6da325b4aa17738239efebe730',
    ],
  }),
];
