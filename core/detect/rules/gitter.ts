import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Gitter access tokens: 40 characters next to a gitter name. */
export const gitterRules: readonly Rule[] = [
  keyedSecret({
    id: 'gitter-access-token',
    description: 'Gitter access token (40 characters) assigned to a gitter key name.',
    names: ['gitter'],
    value: '[a-z0-9_-]{40}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['GITTER_TOKEN=Klkdo-Zm2s8D40ZuA3w7hzMIFezqI4bjCYSYCYzF'],
    falsePositives: ['gitter: Klkdo-Zm2s8D40ZuA3w7hzMIFezqI4bjCYSYCYz', 'GITTER_ROOM=acme/community'],
  }),
];
