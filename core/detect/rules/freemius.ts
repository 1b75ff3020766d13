import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Freemius secret keys (`sk_` + 29), as the PHP SDK snippet assigns them: `'secret_key' => 'sk_…'`. */
export const freemiusRules: readonly Rule[] = [
  {
    id: 'freemius-secret-key',
    category: 'secret',
    description: "Freemius secret key (sk_ + 29 characters) in a PHP 'secret_key' => '…' entry.",
    keywords: ['secret_key'],
    // The match starts at the quote before `secret_key`.
    matchStart: [-1, -1],
    pattern: /["']secret_key["']\s{0,8}=>\s{0,8}["'](sk_\S{29})["']/i,
    secretGroup: 1,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ["$config = array(\n    'secret_key' => 'sk_Tfbc9hJHXx8BTmT8Ety5ohDa8xHL5',\n);"],
    falsePositives: [
      "$config = array('other_key' => 'sk_Tfbc9hJHXx8BTmT8Ety5ohDa8xHL5');",
      "$config = array('secret_key' => sk_Tfbc9hJHXx8BTmT8Ety5ohDa8xHL5);",
    ],
  },
];
