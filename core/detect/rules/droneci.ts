import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Drone CI personal tokens: 32 characters next to a drone name. */
export const droneciRules: readonly Rule[] = [
  keyedSecret({
    id: 'droneci-access-token',
    description: 'Drone CI access token (32 characters) assigned to a drone key name.',
    names: ['droneci', 'drone_token', 'drone-token'],
    value: '[a-z0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'DRONECI_TOKEN=2r3i2j9km5ph3h3bzcbe4siq5f8i55kn',
      'export DRONE_TOKEN=2r3i2j9km5ph3h3bzcbe4siq5f8i55kn',
    ],
    falsePositives: [
      'DRONECI_SERVER=https://drone.internal.test',
      'droneci: 2r3i2j9km5ph3h3bzcbe4siq5f8i55k',
    ],
  }),
];
