import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Beamer API keys: `b_` + 44 characters, next to a beamer name. */
export const beamerRules: readonly Rule[] = [
  keyedSecret({
    id: 'beamer-api-token',
    description: 'Beamer API key (b_ + 44 characters) assigned to a beamer key name.',
    names: ['beamer'],
    value: 'b_[a-z0-9=_-]{44}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'BEAMER_API_KEY=b_h0do3x8zshmyoid1xdremqsd5zss5dt7fgublx8z5977',
      'beamer_key: "b_h0do3x8zshmyoid1xdremqsd5zss5dt7fgublx8z5977"',
    ],
    falsePositives: [
      'beamer: b_h0do3x8zshmyoid1xdremqsd5zss5dt7fgublx8z597', // 43 characters
      'BEAMER_PRODUCT_ID=h0do3x8zshmyoid1xdremqsd5zss5dt7fgublx8z5977', // no b_
    ],
  }),
];
