import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** FreshBooks access tokens: 64 characters next to a freshbooks name. */
export const freshbooksRules: readonly Rule[] = [
  keyedSecret({
    id: 'freshbooks-access-token',
    description: 'FreshBooks access token (64 characters) assigned to a freshbooks key name.',
    names: ['freshbooks'],
    value: '[a-z0-9]{64}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'FRESHBOOKS_ACCESS_TOKEN=j1lpe2is2g9xiomtyt6jqgbfrdjofwpwf5sb5ozwbx9t1mwumchajuahdle49lwq',
    ],
    falsePositives: ['freshbooks: j1lpe2is2g9xiomtyt6jqgbfrdjofwpwf5sb5ozwbx9t1mwumchajuahdle49lw'],
  }),
];
