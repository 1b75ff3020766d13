/** Vendor secrets (a distinctive prefix or shape), vendors l–z. One file per vendor beside this one. */
import type { Rule } from '../types.js';
import { openaiRules } from './openai.js';
import { registryRules } from './registries.js';
import { sendgridRules } from './sendgrid.js';
import { shopifyRules } from './shopify.js';
import { slackRules } from './slack.js';
import { stripeRules } from './stripe.js';

export const vendorRulesLtoZ: readonly Rule[] = [
  ...openaiRules,
  ...registryRules,
  ...sendgridRules,
  ...shopifyRules,
  ...slackRules,
  ...stripeRules,
];
