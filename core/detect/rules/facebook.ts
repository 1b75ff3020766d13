import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/**
 * Facebook (Meta): user and page access tokens start `EAA`; app access tokens are `<app id>|<secret>`; app
 * secrets are 32 hex characters next to a facebook name.
 */
export const facebookRules: readonly Rule[] = [
  prefixedToken({
    id: 'facebook-page-access-token',
    description: 'Facebook user or page access token (EAAM / EAAC + 100 or more characters).',
    keywords: ['eaa'],
    body: 'EAA[MC][A-Za-z0-9]{100,1024}',
    minEntropy: 3.5,
    truePositives: [
      'FACEBOOK_TOKEN=EAAMnzG1As9ZSHqmLZ1BfAphpP85moVeggT5xNYdi8YZl2dvRRaTL7w9VuxrYOQt2eXsAKNk2RAaTnTxrTQacLnNUEPRYSYXeTqaoAyBZDZD',
    ],
    falsePositives: [
      'ref EAAMnzG1As9ZSHqmLZ1BfAphpP85moVeggT5xNYdi8YZl2dvRRaTL7w9V', // too short
      'checksum: eaac4e23a7f19e481958a61ddf44979cc8394e23a7f19e481958a61ddf44979cc8394e23a7f19e481958a61ddf44979cc8394e23a7f19e481958a61ddf44979cc839',
    ],
  }),
  {
    id: 'facebook-access-token',
    category: 'secret',
    description: 'Facebook app access token (15-16 digit app id, | or %7C, 27-40 characters).',
    keywords: ['|', '%7c'],
    // The app id takes 15 or 16 characters before the separator.
    matchStart: [-16, -15],
    pattern: /(?<![A-Za-z0-9_])\d{15,16}(?:\||%7[Cc])[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'facebook 4727094126655315|BhYbAVyQJhImDQhOozof3GEYhZKkNN',
      'https://graph.facebook.com/v19.0/me?access_token=472709412665531%7CBhYbAVyQJhImDQhOozof3GEYhZKkNN',
    ],
    falsePositives: [
      'ref 4727094126655315|BhYbAVyQJhImDQhOozof3GE', // 23 characters
      'ref 47270941266|BhYbAVyQJhImDQhOozof3GEYhZKkNN', // 11-digit id
      '| 1234567890123456 | total | 2024-05-17 |',
    ],
  },
  keyedSecret({
    id: 'facebook-secret',
    description: 'Facebook app secret (32 hex characters) assigned to a facebook key name.',
    names: ['facebook'],
    value: '[a-f0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'FACEBOOK_APP_SECRET=4e23a7f19e481958a61ddf44979cc839',
      'facebook_client_token: 4e23a7f19e481958a61ddf44979cc839',
    ],
    falsePositives: ['FACEBOOK_APP_ID=4727094126655315', 'facebook: 4e23a7f19e481958a61ddf44979cc83'],
  }),
];
