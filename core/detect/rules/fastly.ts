import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Fastly API tokens: 32 characters next to a fastly name. */
export const fastlyRules: readonly Rule[] = [
  keyedSecret({
    id: 'fastly-api-token',
    description: 'Fastly API token (32 characters) assigned to a fastly key name.',
    names: ['fastly'],
    value: '[a-z0-9=_-]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'FASTLY_API_TOKEN=uly6m0gz1o7nebwfeu60ujmzwuz2c6x1',
      'fastly_key: "uly6m0gz1o7nebwfeu60ujmzwuz2c6x1"',
    ],
    falsePositives: ['fastly: uly6m0gz1o7nebwfeu60ujmzwuz2c6x', 'FASTLY_SERVICE=acme-edge-production'],
  }),
];
