import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Pulumi Cloud access tokens: `pul-` + 40 hex. */
export const pulumiRules: readonly Rule[] = [
  {
    id: 'pulumi-api-token',
    category: 'secret',
    description: 'Pulumi access token (pul- + 40 hex).',
    keywords: ['pul-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])pul-[a-f0-9]{40}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'PULUMI_ACCESS_TOKEN=pul-cd2749493dde61429434661becbf392b2e223d4e',
      'pulumi login --token pul-8854416898c6a178c2de7823bf8c97fcdb2eb0cf',
    ],
    falsePositives: [
      'ref pul-8c6259164be86356fa95729faa0aaf',
      'ref pul-b5810d2521e8e76de6e7d3b48358883fab8985c30a',
    ],
  },
];
