import type { Rule } from '../types.js';

/**
 * US identifiers that carry no checksum: passport, driver licence and bank account numbers are plain runs of
 * digits (and letters), so a bare pattern would take every order number for one. They are findings only right
 * after their name, on the same line: "passport number is 912803456", "driver license: H12234567". Between the
 * name and the value: up to 40 characters without a digit or a line break (a bounded run, tried once per
 * keyword hit).
 */
const GAP = '[^\\d\\n]{0,40}';

export const usIdRules: readonly Rule[] = [
  {
    id: 'us-passport',
    category: 'pii',
    description: 'US passport number (9 digits, or a letter and 8 digits) after the word passport.',
    keywords: ['passport'],
    matchStart: [0, 0],
    pattern: new RegExp(
      `passport${GAP}((?<![A-Za-z0-9])[A-Za-z]?\\d{8,9}|(?<=[a-z])\\d{9})(?![A-Za-z0-9])`,
      'i',
    ),
    secretGroup: 1,
    truePositives: [
      'Her passport number is 531804927.',
      'passport: C03108455, expires 2031',
      'PASSPORT_NO=483920175',
      'mypassportno483920175',
    ],
    falsePositives: [
      'passport photo guidelines, section 12',
      'passport number 12345', // too short
      'renew your passport in 2025, ref 93810274550', // 11 digits
      'passport\n531804927', // another line
    ],
  },
  {
    id: 'us-driver-license',
    category: 'pii',
    description:
      "US driver's license number (6 to 14 letters and digits, at least two digits) after driver license.",
    keywords: ['driver', 'driving'],
    matchStart: [0, 0],
    pattern: new RegExp(
      `driv(?:er'?s?|ing)[ _-]?licen[cs]e(?!d)${GAP}` +
        `(?<![A-Za-z0-9*])((?=[A-Za-z*]{0,6}\\d[A-Za-z*]{0,6}\\d)[A-Za-z0-9*]{6,14})(?![A-Za-z0-9*])`,
      'i',
    ),
    secretGroup: 1,
    truePositives: [
      "driver's license: D4729105",
      'DRIVER_LICENSE=S53012847196',
      'her driving licence number is MOR753116SM9',
      'Driver license? it is 8150367B.',
    ],
    falsePositives: [
      'driver license renewal takes 10 days',
      "driver's license: required", // no digits
      'driver license class A1', // too short
      'the printer driver licensed under GPL-2.0',
    ],
  },
  {
    id: 'us-bank-account',
    category: 'pii',
    description: 'US bank account number (8 to 17 digits) after bank account or account number.',
    keywords: ['account'],
    // `bank account`, `banking account`: the match starts up to 8 characters before `account`.
    matchStart: [-8, 0],
    pattern: new RegExp(
      `(?:(?<![a-z])bank(?:ing)?[ _-]?account(?:[ _-]?(?:number|no\\.?|#))?|(?<![a-z])account[ _-]?(?:number|no\\.?|#))` +
        `${GAP}(?<![A-Za-z0-9-])(\\d{8,17})(?![A-Za-z0-9-]|\\.\\d)`,
      'i',
    ),
    secretGroup: 1,
    truePositives: [
      'Wire it to bank account 000123456789 at First Bank.',
      'checking account number: 4820019375',
      'BANK_ACCOUNT_NO=57201938',
    ],
    falsePositives: [
      'bank account 1234567', // 7 digits
      'account number: see the invoice',
      'account id 48200193751', // not an account number
      'bank account ending in 4821', // the last digits only
    ],
  },
];
