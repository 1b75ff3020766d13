import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Kraken API private keys: 80-90 base64 characters next to a kraken name. */
export const krakenRules: readonly Rule[] = [
  keyedSecret({
    id: 'kraken-access-token',
    description: 'Kraken API private key (80-90 base64 characters) assigned to a kraken key name.',
    names: ['kraken'],
    value: '[A-Za-z0-9/=_+-]{80,90}',
    minEntropy: 4,
    truePositives: [
      'KRAKEN_PRIVATE_KEY=u2wpE+Q42wpky62RMo3cuQ1JHLN7NwaFs7iJ2yqO7pb0mRN7TBHDDKKqUYbBFtWaEZ/xuGSiInbVNuVFQZ4sOx==',
    ],
    falsePositives: ['kraken: u2wpE+Q42wpky62RMo3cuQ1JHLN7NwaFs7iJ2yqO7pb0mRN7TBHDDKK', 'KRAKEN_PAIR=XBTUSD'],
  }),
];
