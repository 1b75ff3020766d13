import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Contentful delivery and management tokens: 43 characters next to a contentful name. */
export const contentfulRules: readonly Rule[] = [
  keyedSecret({
    id: 'contentful-delivery-api-token',
    description:
      'Contentful delivery or preview API token (43 characters) assigned to a contentful key name.',
    names: ['contentful'],
    value: '[a-z0-9=_-]{43}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'CONTENTFUL_DELIVERY_TOKEN=06NKSqKJDblY-I26sjd23Ypi0OKsUj2dw__yG9-GTK_',
      'contentful_access_token: "06NKSqKJDblY-I26sjd23Ypi0OKsUj2dw__yG9-GTK_"',
    ],
    falsePositives: [
      'CONTENTFUL_SPACE_ID=06NKSqKJDblY-I26sjd23Ypi0OKsUj2dw__yG9-GTK', // 42 characters
      'CONTENTFUL_ENVIRONMENT=master',
    ],
  }),
];
