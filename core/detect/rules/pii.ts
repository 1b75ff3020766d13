/** Personal data, each kind with a validator (checksum, ranges, numbering plans), not a bare pattern. */
import type { Rule } from '../types.js';
import { emailRules } from './email.js';
import { ibanRules } from './iban.js';
import { ipAddressRules } from './ip-address.js';
import { nationalIdRules } from './national-id.js';
import { paymentCardRules } from './payment-card.js';
import { phoneRules } from './phone.js';

export const piiRules: readonly Rule[] = [
  ...emailRules,
  ...paymentCardRules,
  ...ibanRules,
  ...nationalIdRules,
  ...phoneRules,
  ...ipAddressRules,
];
