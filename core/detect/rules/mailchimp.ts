import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Mailchimp API keys: 32 hex, then the data-centre suffix (`-us1` .. `-us99`); the suffix is the keyword. */
export const mailchimpRules: readonly Rule[] = [
  {
    id: 'mailchimp-api-key',
    category: 'secret',
    description: 'Mailchimp API key (32 hex + -us<dc>).',
    keywords: ['-us'],
    // The keyword is the data-centre suffix, 32 characters into the key.
    matchStart: [-32, -32],
    // As gitleaks: a key directly followed by `)` is a signature example (`initialize(token: <key>)`), not a value.
    pattern: /(?<![A-Za-z0-9_-])[a-f0-9]{32}-us\d{1,2}(?![A-Za-z0-9_)-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MAILCHIMP_API_KEY=feca65d67e109d26e4ff6ac03ceb189d-us21',
      'mailchimp.setConfig({ apiKey: "96bd64d4bf7a5945cb74f8800e67b877-us6", server: "us6" });',
      'df0b6215a513bea2aaa25145e6353032-us14',
    ],
    falsePositives: [
      'ref 6f3f9124a55106f90958cabd-us21', // too short
      'ref 774ad0074753e1e93aa62456af4ffa12-eu21', // not a data centre
      'ref 6393bf8e2f8e3a72d1425366e93f958b-us123', // suffix too long
      'run with --user admin --us-east',
    ],
  },
];
