import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Datadog API keys (32 hex) and application keys (40 hex): no prefix, found next to a datadog name. */
export const datadogRules: readonly Rule[] = [
  keyedSecret({
    id: 'datadog-access-token',
    description:
      'Datadog API key (32 hex) or application key (40 characters) assigned to a datadog key name.',
    names: ['datadog'],
    value: '[a-f0-9]{32}|[a-z0-9]{40}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'DATADOG_API_KEY=4d27d85662c89702022510fe847e775a',
      'datadog_app_key: "2v78e1b93y8nmwqw9e4mfu9j8ed88hetxl30nhn3"',
    ],
    falsePositives: ['DATADOG_SITE=datadoghq.eu', 'datadog: 4d27d85662c89702022510fe847e775'],
  }),
];
