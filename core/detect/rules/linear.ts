import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Linear: personal API keys (`lin_api_` + 40) and OAuth client secrets (32 hex, found by the `linear` key name). */
export const linearRules: readonly Rule[] = [
  {
    id: 'linear-api-key',
    category: 'secret',
    description: 'Linear personal API key (lin_api_ + 40 alphanumerics).',
    keywords: ['lin_api_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'LINEAR_API_KEY=lin_api_Od27wESWWCtXp59JpC4ZUHEaFyCS9ZX8SO94toGs',
      'const linear = new LinearClient({ apiKey: "lin_api_B0UpsC3nh1mgxQedgq3cUoSR2k7wq1ynTMKKefbf" });',
    ],
    falsePositives: [
      'ref lin_api_9VBYgewZc43yDebLNwwdrLvD7AXpoE', // too short
      'ref lin_api_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'ref lin_oauth_zVVYsw38QslrBUSuzK3wh9SGV0uQeKHDG2GaFFav', // another prefix
    ],
  },
  {
    id: 'linear-client-secret',
    category: 'secret',
    description: 'Linear OAuth client secret: 32 hex assigned to a key named for Linear.',
    keywords: ['linear'],
    matchStart: [0, 0],
    pattern: assignedAfterName('linear', '[a-f0-9]{32}'),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'LINEAR_CLIENT_SECRET=d2d37797784f93454c2f7228295ae908',
      'linearClientSecret: "d5ab6d69ab9e5ded7d2fdeadeb51dba9"',
      '<linear_secret>6c0ceb23530e19852184deea1215c5a8</linear_secret>',
    ],
    falsePositives: [
      'LINEAR_REF=aeb2f31e50621ca818e69dd2', // too short
      'linear_regression: acaa982fb3b2c05bc8e073954bbd1407a1', // too long
      'LINEAR_CLIENT_SECRET=${LINEAR_CLIENT_SECRET}',
      'We saw linear growth, 12 percent a quarter.',
    ],
  },
];
