import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Shippo API tokens: `shippo_live_` or `shippo_test_` + 40 hex. */
export const shippoRules: readonly Rule[] = [
  {
    id: 'shippo-api-token',
    category: 'secret',
    description: 'Shippo API token (shippo_live_/shippo_test_ + 40 hex).',
    keywords: ['shippo_live_', 'shippo_test_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])shippo_(?:live|test)_[a-fA-F0-9]{40}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SHIPPO_API_KEY=shippo_live_b398869ee0b02954e7d04c4c38d5bb45455b3624',
      'Authorization: ShippoToken shippo_test_828fa1b5fa172292dca0fa7c0d300dbddd4ae210',
    ],
    falsePositives: [
      'ref shippo_live_b99fb15ed5bec42c2bbb0434070dc4',
      'ref shippo_prod_27d92e8115d025c81fadfa8263b60e7ba14f3cb6',
    ],
  },
];
