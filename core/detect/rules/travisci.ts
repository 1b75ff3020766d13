import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Travis CI API tokens: 22 alphanumerics, near a Travis key name. */
export const travisciRules: readonly Rule[] = [
  {
    id: 'travisci-access-token',
    category: 'secret',
    description: 'Travis CI API token: 22 alphanumerics assigned to a key named for Travis.',
    keywords: ['travis'],
    matchStart: [0, 0],
    pattern: assignedAfterName('travis', '[a-z0-9]{22}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['TRAVIS_API_TOKEN=jQrkB59bYF5q7Y6rpVZKgo', 'travis_token: "hqTfM1OZFS7qE1UQrEu8jK"'],
    falsePositives: ['TRAVIS_BRANCH=feature-login-page', 'TRAVIS_REF=HPrwsC9hJ855'],
  },
];
