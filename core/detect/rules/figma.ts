import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Figma personal access tokens: `figd_` + about 40 base64url characters. */
export const figmaRules: readonly Rule[] = [
  prefixedToken({
    id: 'figma-personal-access-token',
    description: 'Figma personal access token (figd_ + 40 to 64 characters).',
    keywords: ['figd_'],
    body: 'figd_[A-Za-z0-9_-]{40,64}',
    minEntropy: 3,
    truePositives: [
      'FIGMA_TOKEN=figd_w1mzuUl0UQYyG1OdFk2Zq3Kvevx2ld5VjxAiDxMtI93',
      'X-Figma-Token: figd_w1mzuUl0UQYyG1OdFk2Zq3Kvevx2ld5VjxAiDxMtI93',
    ],
    falsePositives: [
      'ref figd_abc',
      'ref figd_w1mzuUl0UQYyG1OdFk2Zq3Kvevx2ld5',
      'ref figd_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
];
