import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Docker Hub personal access tokens: `dckr_pat_` + 27 base64url characters. */
export const dockerRules: readonly Rule[] = [
  prefixedToken({
    id: 'docker-personal-access-token',
    description: 'Docker Hub personal access token (dckr_pat_ + 27 characters).',
    keywords: ['dckr_pat_'],
    body: 'dckr_pat_[A-Za-z0-9_-]{27}',
    minEntropy: 3,
    truePositives: [
      'DOCKER_TOKEN=dckr_pat_ZGPsA9wSSnz8vHxBBsP9N2Ogr6n',
      'echo "dckr_pat_ZGPsA9wSSnz8vHxBBsP9N2Ogr6n" | docker login -u acme --password-stdin',
    ],
    falsePositives: [
      'ref dckr_pat_ZGPsA9wSSnz8vHxBBsP9N2Ogr6', // 26 characters
      'ref dckr_pat_tooshort',
      'ref dckr_pat_',
    ],
  }),
];
