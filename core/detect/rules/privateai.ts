import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Private AI API keys: 32 lowercase alphanumerics, near a Private AI key name. */
export const privateaiRules: readonly Rule[] = [
  {
    id: 'privateai-api-token',
    category: 'secret',
    description: 'Private AI API key: 32 alphanumerics assigned to a key named for Private AI.',
    keywords: ['privateai', 'private_ai', 'private-ai'],
    matchStart: [0, 0],
    pattern: assignedAfterName('(?:[Pp]rivate[_-]?[Aa][Ii]|PRIVATE[_-]?AI)', '[a-z0-9]{32}', { flags: '' }),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'PRIVATE_AI_API_KEY=tp1bgg06mv6c21e8dhki1krrwwkpjs3l',
      'privateAiKey: "qdnn2b6uyymy56lijks6awzxbm5zm2gi"',
    ],
    falsePositives: [
      'PRIVATE_AI_REF=aog9g8ie0kuhnz05ihig',
      'PRIVATE_AI_REF=5YIUWS7AASWGSB2K5ZCHUG174D1SZTKU',
    ],
  },
];
