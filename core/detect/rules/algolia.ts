import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Algolia admin and search API keys: 32 characters next to an algolia name. */
export const algoliaRules: readonly Rule[] = [
  keyedSecret({
    id: 'algolia-api-key',
    description: 'Algolia API key (32 characters) assigned to an algolia key name.',
    names: ['algolia'],
    value: '[a-z0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'ALGOLIA_ADMIN_KEY=at4zm8vjxo71tm21ii1kvj3a3a9guc5o',
      'algolia_search_key: "at4zm8vjxo71tm21ii1kvj3a3a9guc5o"',
    ],
    falsePositives: [
      'ALGOLIA_ADMIN_KEY=at4zm8vjxo71tm21ii1kvj3a3a9guc5', // 31 characters
      'ALGOLIA_APP_ID=QZ7H4RT2LM',
      'ALGOLIA_ADMIN_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
];
