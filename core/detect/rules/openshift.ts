import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** OpenShift OAuth access tokens: `sha256~` + 43 base64url characters. */
export const openshiftRules: readonly Rule[] = [
  {
    id: 'openshift-user-token',
    category: 'secret',
    description: 'OpenShift user or service OAuth token (sha256~ + 43 characters).',
    keywords: ['sha256~'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])sha256~[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'oc login --token=sha256~YiT1x6zZxwXlGE4xrL1U0bPUmhKqtLUx2oICFxaZH5U --server=https://api.cluster.test:6443',
      'Authorization: Bearer sha256~Zmm7I9jho_rt6hU0Yf-Buiml3Onkx4tlVd0UFsIA3vg',
    ],
    falsePositives: [
      'ref sha256~IZpLNkaPIzvrkrp5q1yD',
      'digest sha256:045afcad651505eef7dbbf68d9457c19a14972dcc4e21cb9683c703f58f6aed3',
    ],
  },
];
