import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Finicity (Mastercard Open Banking): app keys are 32 hex, partner secrets 20 characters, next to a finicity name. */
export const finicityRules: readonly Rule[] = [
  keyedSecret({
    id: 'finicity-api-token',
    description: 'Finicity app key (32 hex characters) assigned to a finicity key name.',
    names: ['finicity'],
    value: '[a-f0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['FINICITY_APP_KEY=6b594e4c1363af8d2d31c2e81bc16f38'],
    falsePositives: ['finicity: 6b594e4c1363af8d2d31c2e81bc16f3'],
  }),
  keyedSecret({
    id: 'finicity-client-secret',
    description: 'Finicity partner secret (20 characters) assigned to a finicity key name.',
    names: ['finicity'],
    value: '[a-z0-9]{20}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['FINICITY_PARTNER_SECRET=xhkvbkx642u9dpdzfxoc'],
    falsePositives: ['finicity: xhkvbkx642u9dpdzfxo', 'FINICITY_PARTNER_ID=2445581234567'],
  }),
];
