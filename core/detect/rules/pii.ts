/** Personal data, each kind with a validator (checksum, ranges, numbering plans), not a bare pattern. */
import type { Rule } from '../types.js';
import { cryptoWalletRules } from './crypto-wallet.js';
import { emailRules } from './email.js';
import { ibanRules } from './iban.js';
import { ipAddressRules, privateIpAddressRules } from './ip-address.js';
import { usIdRules } from './us-ids.js';
import { macAddressRules } from './mac-address.js';
import { nationalIdRules } from './national-id.js';
import { paymentCardRules } from './payment-card.js';
import { phoneRules } from './phone.js';
import { ukIdRules } from './uk-ids.js';

/**
 * In tie-break order (same span, same category: the rule listed first wins): a phone number that is also a
 * valid NHS number (both 3-3-4) is reported as a phone.
 */
export const piiRules: readonly Rule[] = [
  ...emailRules,
  ...paymentCardRules,
  ...ibanRules,
  ...nationalIdRules,
  ...phoneRules,
  ...ukIdRules,
  ...usIdRules,
  ...ipAddressRules,
  ...privateIpAddressRules,
  ...macAddressRules,
  ...cryptoWalletRules,
];
