import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Defined Networking (Nebula managed) API tokens: `dnkey-` + 26 + `-` + 52. */
export const definedNetworkingRules: readonly Rule[] = [
  prefixedToken({
    id: 'defined-networking-api-token',
    description: 'Defined Networking API token (dnkey- + 26 + - + 52 characters).',
    keywords: ['dnkey-'],
    body: 'dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}',
    flags: 'i',
    minEntropy: 3,
    truePositives: [
      'DN_API_KEY=dnkey-r4dhcj791thvlg2wbok1l26970-6teectoau8z6xogsqhlst2jvz3rs07rftahpiv7s135gh0xw7jfr',
    ],
    falsePositives: [
      'ref dnkey-r4dhcj791thvlg2wbok1l26970-6teectoau8z6xogsqhlst2jvz3rs07rftahpiv7s135', // short
      'ref dnkey-xxxxxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
];
