import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Intercom access tokens: 60 characters next to an intercom name. */
export const intercomRules: readonly Rule[] = [
  keyedSecret({
    id: 'intercom-api-key',
    description: 'Intercom access token (60 characters) assigned to an intercom key name.',
    names: ['intercom'],
    value: '[a-z0-9=_-]{60}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['INTERCOM_ACCESS_TOKEN=5jd2ttzbh71ons8hzmg658ksiihzvygr39crx4e9ss2tkise3hy48q56k4x8'],
    falsePositives: [
      'intercom: 5jd2ttzbh71ons8hzmg658ksiihzvygr39crx4e9ss2tkise3hy48q56k4x',
      'INTERCOM_APP_ID=qz8v2mta',
    ],
  }),
];
