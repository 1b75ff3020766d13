import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Sourcegraph access tokens: `sgp_` + optional instance id (16 hex or `local`) + 40 hex; older tokens are bare
 * 40 hex, recognised next to a Sourcegraph key name.
 */
export const sourcegraphRules: readonly Rule[] = [
  {
    id: 'sourcegraph-access-token',
    category: 'secret',
    description: 'Sourcegraph access token (sgp_[<instance>_]<40 hex>).',
    keywords: ['sgp_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])sgp_(?:(?:[a-fA-F0-9]{16}|local)_)?[a-fA-F0-9]{40}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SRC_ACCESS_TOKEN=sgp_d47e2f7df809acce_35c9fb8e37bbe150ee1b03a52bb03c8933f2a7a3',
      'src login --token sgp_local_a4211defc0adcd925113601948f32883deb71993',
      'token: sgp_07b6dfeb5106403a9eb45abc0141a441d1d4ab82',
    ],
    falsePositives: [
      'ref sgp_5750c8305aaff7443edd21c8596ea6',
      'ref sgp_remote_b702ed2fa04b7d574fbb5da38e94bea30cb931b7',
    ],
  },
  {
    id: 'sourcegraph-legacy-token',
    category: 'secret',
    description: 'Sourcegraph access token, older format: 40 hex assigned to a key named for Sourcegraph.',
    keywords: ['sourcegraph'],
    matchStart: [0, 0],
    pattern: assignedAfterName('sourcegraph', '[a-f0-9]{40}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SOURCEGRAPH_TOKEN=fa3498f60c8ca8f2db0505e789895d45cf73cde6',
      'sourcegraph: CB9981044BA858D6405E14b7072479f40e966cc1',
    ],
    falsePositives: [
      'SOURCEGRAPH_URL=https://sourcegraph.internal.test',
      'sourcegraph: 5b34ae65883f786b54693ea3b19cf9',
    ],
  },
];
