/**
 * The built-in rule set, in tie-break order: when two findings cover exactly the same span with the same
 * category, the rule listed first wins. Vendor rules (a distinctive prefix) come before structural ones
 * (JWT, URL credentials, connection strings) and those before keyword-driven generic rules.
 */
import type { Rule } from '../types.js';
import { piiRules } from './pii.js';
import { structuralRules } from './structural.js';
import { vendorRulesAtoK } from './vendors-a-k.js';
import { vendorRulesLtoZ } from './vendors-l-z.js';

export const builtinRules: readonly Rule[] = Object.freeze([
  // Secrets with a vendor prefix.
  ...vendorRulesAtoK,
  ...vendorRulesLtoZ,
  // Structural, then keyword-driven secrets.
  ...structuralRules,
  // Personal data.
  ...piiRules,
]);

export { isJwt } from './jwt.js';
export { isPublicIpAddress } from './ip-address.js';
export { isPhoneNumber } from './phone.js';
export { isPaymentCard, luhn } from './payment-card.js';
export { isIban } from './iban.js';
export { isUsSsn, isUsItin } from './national-id.js';
export { isUkNhs, isUkNino } from './uk-ids.js';
export { isMacAddress } from './mac-address.js';
export { isBitcoinAddress, isEthereumAddress } from './crypto-wallet.js';
export { PLACEHOLDER_ALLOWLIST, DIGIT_KEYWORDS } from './shared.js';
