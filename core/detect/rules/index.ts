/**
 * The built-in rule set, in tie-break order: when two findings cover exactly the same span with the same
 * category, the rule listed first wins. Vendor rules (a distinctive prefix) come before structural ones
 * (JWT, URL credentials, connection strings) and those before keyword-driven generic rules.
 */
import type { Rule } from '../types.js';
import { anthropicRules } from './anthropic.js';
import { awsRules } from './aws.js';
import { connectionStringRules } from './connection-string.js';
import { digitaloceanRules } from './digitalocean.js';
import { emailRules } from './email.js';
import { genericRules } from './generic.js';
import { githubRules } from './github.js';
import { gitlabRules } from './gitlab.js';
import { googleRules } from './google.js';
import { huggingfaceRules } from './huggingface.js';
import { ibanRules } from './iban.js';
import { ipAddressRules } from './ip-address.js';
import { jwtRules } from './jwt.js';
import { nationalIdRules } from './national-id.js';
import { openaiRules } from './openai.js';
import { paymentCardRules } from './payment-card.js';
import { phoneRules } from './phone.js';
import { privateKeyRules } from './private-key.js';
import { registryRules } from './registries.js';
import { sendgridRules } from './sendgrid.js';
import { shopifyRules } from './shopify.js';
import { slackRules } from './slack.js';
import { stripeRules } from './stripe.js';
import { urlCredentialRules } from './url-credentials.js';

export const builtinRules: readonly Rule[] = Object.freeze([
  // Secrets with a vendor prefix.
  ...awsRules,
  ...githubRules,
  ...gitlabRules,
  ...openaiRules,
  ...anthropicRules,
  ...googleRules,
  ...slackRules,
  ...stripeRules,
  ...registryRules,
  ...huggingfaceRules,
  ...sendgridRules,
  ...digitaloceanRules,
  ...shopifyRules,
  // Structural secrets.
  ...privateKeyRules,
  ...jwtRules,
  ...urlCredentialRules,
  ...connectionStringRules,
  // Keyword-driven secrets.
  ...genericRules,
  // Personal data.
  ...emailRules,
  ...paymentCardRules,
  ...ibanRules,
  ...nationalIdRules,
  ...phoneRules,
  ...ipAddressRules,
]);

export { isJwt } from './jwt.js';
export { isPublicIpAddress } from './ip-address.js';
export { isPhoneNumber } from './phone.js';
export { isPaymentCard, luhn } from './payment-card.js';
export { isIban } from './iban.js';
export { isUsSsn } from './national-id.js';
export { PLACEHOLDER_ALLOWLIST, DIGIT_KEYWORDS } from './shared.js';
