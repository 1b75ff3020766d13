import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Asana OAuth apps: a 16-digit client id and a 32-character client secret, next to an asana name. */
export const asanaRules: readonly Rule[] = [
  keyedSecret({
    id: 'asana-client-id',
    description: 'Asana client id (16 digits) assigned to an asana key name.',
    names: ['asana'],
    value: '[0-9]{16}',
    minEntropy: 2,
    truePositives: ['ASANA_CLIENT_ID=0790410895988124', '<asanaClientId>0790410895988124</asanaClientId>'],
    falsePositives: [
      'ASANA_CLIENT_ID=079041089598812', // 15 digits
      'ASANA_CLIENT_ID=07904108959881245', // 17 digits
      'ASANA_WORKSPACE_ID=0000000000000000',
    ],
  }),
  keyedSecret({
    id: 'asana-client-secret',
    description: 'Asana client secret (32 characters) assigned to an asana key name.',
    names: ['asana'],
    value: '[a-z0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'ASANA_CLIENT_SECRET=mvidfxn2jxcq01ro477ttzxrfmrkpc68',
      'asana_client_secret: "mvidfxn2jxcq01ro477ttzxrfmrkpc68"',
    ],
    falsePositives: [
      'ASANA_PROJECT=mvidfxn2jxcq01ro477ttzxrfmrkpc6', // 31 characters
      'ASANA_PROJECT=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
];
