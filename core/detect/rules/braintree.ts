import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Braintree: access tokens `access_token$production$…` and tokenization keys `production_…_…`. */
export const braintreeRules: readonly Rule[] = [
  prefixedToken({
    id: 'braintree-access-token',
    description: 'Braintree access token (access_token$production|sandbox$ + merchant id [+ $ + 32 hex]).',
    keywords: ['access_token$production$', 'access_token$sandbox$'],
    body: 'access_token\\$(?:production|sandbox)\\$[a-z0-9]{16}(?:\\$[a-f0-9]{32})?',
    after: 'A-Za-z0-9_$-',
    minEntropy: 2,
    truePositives: [
      'BT_ACCESS_TOKEN=access_token$production$m1ceu05ytq18aoda$93ef3ca9f8f70afac492fcb77422977d',
      'gateway = braintree.BraintreeGateway(access_token="access_token$sandbox$m1ceu05ytq18aoda")',
    ],
    falsePositives: ['ref access_token$staging$m1ceu05ytq18aoda', 'ref access_token$production$m1ceu05ytq'],
  }),
  prefixedToken({
    id: 'braintree-tokenization-key',
    description: 'Braintree tokenization key (production_ / sandbox_ + 8 + _ + 16 characters).',
    keywords: ['production_', 'sandbox_'],
    body: '(?:production|sandbox)_[a-z0-9]{8}_[a-z0-9]{16}',
    minEntropy: 2,
    truePositives: ["braintree.client.create({ authorization: 'sandbox_24ss340k_t2s01mwkgpre82uy' });"],
    falsePositives: ['ref development_24ss340k_t2s01mwkgpre82uy', 'ref production_database_settings_file'],
  }),
];
