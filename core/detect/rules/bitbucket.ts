import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Bitbucket OAuth consumers: a 32-character key (client id) and a 64-character secret, next to a bitbucket name. */
export const bitbucketRules: readonly Rule[] = [
  keyedSecret({
    id: 'bitbucket-client-id',
    description: 'Bitbucket OAuth client id (32 characters) assigned to a bitbucket key name.',
    names: ['bitbucket'],
    value: '[a-z0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['BITBUCKET_CLIENT_ID=12xei3fpxwqkpv9dyrxdwgxgx6coknez'],
    falsePositives: [
      'BITBUCKET_CLIENT_ID=12xei3fpxwqkpv9dyrxdwgxgx6cokne', // 31 characters
      'BITBUCKET_WORKSPACE=acme-platform',
    ],
  }),
  keyedSecret({
    id: 'bitbucket-client-secret',
    description: 'Bitbucket OAuth client secret (64 characters) assigned to a bitbucket key name.',
    names: ['bitbucket'],
    value: '[a-z0-9=_-]{64}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'BITBUCKET_CLIENT_SECRET=qzozk4d23m9nh0lg0y62vnv49dh8wvcnaaicckco2p8ls2wjn784prs0j6aqmk5i',
      'bitbucket_secret: "qzozk4d23m9nh0lg0y62vnv49dh8wvcnaaicckco2p8ls2wjn784prs0j6aqmk5i"',
    ],
    falsePositives: [
      'BITBUCKET_COMMIT=qzozk4d23m9nh0lg0y62vnv49dh8wvcnaaicckco2p8ls2wjn784prs0j6aqmk5', // 63 characters
    ],
  }),
];
