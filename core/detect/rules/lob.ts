import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Lob API keys (`live_`/`test_` + 35 hex) and publishable keys (`live_pub_`/`test_pub_` + 31 hex), near a Lob key name. */
export const lobRules: readonly Rule[] = [
  {
    id: 'lob-api-key',
    category: 'secret',
    description: 'Lob secret API key (live_/test_ + 35 hex) assigned to a key named for Lob.',
    keywords: ['lob'],
    matchStart: [0, 0],
    pattern: assignedAfterName('lob', '(?:live|test)_[a-f0-9]{35}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'LOB_API_KEY=live_e893c7c938cb89363822ea65884166d9790',
      'lobKey: "test_5fd4ba1351433397113564da93df675f1c2"',
    ],
    falsePositives: [
      'LOB_REF=live_932b2c96177693cc11c469d2dcb971', // too short
      'LOB_REF=prod_431e3d0b057618fba13aaefe7b374c8f2a3', // no such mode
      'global_timeout = test_case_runner',
    ],
  },
  {
    id: 'lob-pub-api-key',
    category: 'secret',
    description: 'Lob publishable API key (live_pub_/test_pub_ + 31 hex) assigned to a key named for Lob.',
    keywords: ['lob'],
    matchStart: [0, 0],
    pattern: assignedAfterName('lob', '(?:live|test)_pub_[a-f0-9]{31}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'LOB_PUBLISHABLE_KEY=live_pub_88d351e5d4ac02c85f9ae9f9e823b94',
      "lob_pub_key = 'test_pub_4c692ea028e2f8755b9376ccfe7fa06'",
    ],
    falsePositives: [
      'LOB_PUBLISHABLE_KEY=live_pub_a9c4772d8b745455eb24',
      'LOB_PUBLISHABLE_KEY=live_pub_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
];
