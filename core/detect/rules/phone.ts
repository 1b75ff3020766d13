import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.max.json';
import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/**
 * Phone numbers, validated by libphonenumber-js with its `max` metadata: with `min` metadata `isValid()`
 * only checks the length, so any 7-12 digit group with a plausible length would pass; `max` checks the digits
 * against each country's numbering plan (about 65 kB more, loaded once). The regex proposes three shapes:
 * - international numbers written with `+` (or `00`): parsed as they are;
 * - North American numbers in national format, with separators: `(628) 555-0174`, `415-555-0132`,
 *   `415.555.0132`, `1-415-555-0132`, `415 5550132`;
 * - national numbers with a trunk prefix `0`, with separators: `020 7946 0958`, `030/901820`,
 *   `06 12 34 56 78`, `090-1234-5678`, `(020) 7946 0958`. The country is unknown, so the number is tried
 *   against the plans of the major countries that dial a trunk `0`, most common first, until one accepts it.
 * Bare digit runs (timestamps, order ids) are never matched: a national number needs separators, and a
 * trunk-0 group that continues a run of code groups (`BE71 0961 2345 6760`, a mistyped IBAN) is not one. Dates,
 * versions and decimals are turned away by shape before the (costly, ~25 µs) parse.
 */

/** Countries whose national numbers start with a trunk `0`, tried in this order. */
const TRUNK_ZERO_COUNTRIES: readonly CountryCode[] = [
  'GB',
  'DE',
  'FR',
  'IT',
  'NL',
  'BE',
  'CH',
  'AT',
  'IE',
  'SE',
  'FI',
  'IL',
  'JP',
  'CN',
  'IN',
  'AU',
  'NZ',
  'BR',
  'ZA',
  'TR',
  'KR',
  'UA',
];

/**
 * Per trunk-0 country, its national number lengths and the pattern every valid number matches (the general
 * description in libphonenumber's metadata): a cheap necessary check, so that a candidate no plan could
 * accept costs ~20 regex tests rather than ~20 parses (25 µs each).
 */
interface Plan {
  readonly country: CountryCode;
  readonly lengths: ReadonlySet<number>;
  readonly pattern: RegExp;
}
const TRUNK_ZERO_PLANS: readonly Plan[] = TRUNK_ZERO_COUNTRIES.map((country) => {
  // A country's metadata row: [calling code, international prefix, national number pattern, lengths, ...].
  const row = (metadata.countries as unknown as Record<string, readonly [string, string, string, number[]]>)[
    country
  ];
  if (row === undefined) throw new Error(`libphonenumber-js has no metadata for ${country}`);
  return { country, lengths: new Set(row[3]), pattern: new RegExp(`^(?:${row[2]})$`) };
});

/** Whether `plan` could hold the national number `digits` (trunk 0 dropped, or kept as in Italy). */
function planMayAccept(plan: Plan, digits: string): boolean {
  const nsn = digits.slice(1);
  if (plan.lengths.has(nsn.length) && plan.pattern.test(nsn)) return true;
  return plan.lengths.has(digits.length) && plan.pattern.test(digits);
}

/** NANP: area code and exchange start with 2-9, the area code is not N11 or N9X (reserved). */
function isNanp(ten: string): boolean {
  const a0 = ten.charCodeAt(0) - 48;
  const a1 = ten.charCodeAt(1) - 48;
  const a2 = ten.charCodeAt(2) - 48;
  const e0 = ten.charCodeAt(3) - 48;
  if (a0 < 2 || e0 < 2) return false;
  if (a1 === 9) return false;
  if (a1 === 1 && a2 === 1) return false;
  if (ten.charCodeAt(4) === 49 && ten.charCodeAt(5) === 49) return false; // N11 exchange (411, 911)
  return !/^(\d)\1{9}$/.test(ten);
}

function valid(text: string, country?: CountryCode): boolean {
  return parsePhoneNumberFromString(text, country)?.isValid() === true;
}

/** `+` numbers: one pair of parentheses at most, 7-15 digits, then the numbering plan. */
function isInternational(value: string): boolean {
  let open = 0;
  let digits = '';
  for (let i = 1; i < value.length; i++) {
    const c = value[i] as string;
    if (c >= '0' && c <= '9') digits += c;
    else if (c === '(') {
      if (++open > 1) return false;
    } else if (c === ')') {
      if (open !== 1) return false;
    }
  }
  if (digits.length < 7 || digits.length > 15 || /^(\d)\1+$/.test(digits.slice(1))) return false;
  return valid(`+${digits}`);
}

/** Day-month-year or year-month-day written with one kind of separator. */
const DATE = /^(?:\d{1,2}([./-])\d{1,2}\1(?:\d{2}|\d{4})|\d{4}([./-])\d{1,2}\2\d{1,2})$/;

/** The groups after the area code are split by one kind of separator. */
function separatorsOk(groups: string): boolean {
  const seps = groups.replace(/\d/g, '');
  for (let i = 1; i < seps.length; i++) if (seps[i] !== seps[0]) return false;
  return true;
}

/** A national number with a trunk `0` (or an international `00` prefix). */
function isTrunkZero(value: string): boolean {
  // A date, or the 3-2-4 shape of a US SSN: not a national phone layout.
  if (DATE.test(value) || /^\d{3}([ -])\d{2}\1\d{4}$/.test(value)) return false;
  const digits = value.replace(/\D/g, '');
  if (digits.startsWith('00'))
    return digits.length >= 9 && digits.length <= 17 && valid(`+${digits.slice(2)}`);
  if (digits.length < 8 || digits.length > 13 || /^0(\d)\1+$/.test(digits)) return false;
  const rest = value.startsWith('(') ? value.slice(value.indexOf(')') + 1).trimStart() : value;
  const firstSep = rest.search(/[ ./-]/);
  if (firstSep < 0 || !separatorsOk(rest.slice(firstSep + 1))) return false;
  const dots = value.split('.').length - 1;
  if (dots === 1) return false; // 01.2345678 reads as a number: dotted phones have 3+ groups
  for (const plan of TRUNK_ZERO_PLANS) {
    if (planMayAccept(plan, digits) && valid(value, plan.country)) return true;
  }
  return false;
}

/** A North American number in national format: 3-3-4 with one separator kind, (3) 3-4, or 3 7. */
function isNorthAmerican(value: string): boolean {
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11) {
    if (digits[0] !== '1') return false;
    digits = digits.slice(1);
  }
  if (digits.length !== 10 || !isNanp(digits)) return false;
  const body = value.length > 12 && /^1[ .-]/.test(value) ? value.slice(2) : value;
  if (!body.startsWith('(')) {
    const seps = body.replace(/\d/g, '');
    // 415-555-0132, 415.555.0132, 415 555 0132 or 415 5550132 / 415-5550132 (not 415.5550132, a decimal).
    if (seps.length === 2 ? seps[0] !== seps[1] : seps !== ' ' && seps !== '-') return false;
  }
  return valid(digits, 'US');
}

export function isPhoneNumber(value: string): boolean {
  if (value.startsWith('+')) return isInternational(value);
  if (value.startsWith('0') || value.startsWith('(0')) return isTrunkZero(value);
  return isNorthAmerican(value);
}

export const phoneRules: readonly Rule[] = [
  {
    id: 'phone',
    category: 'pii',
    description:
      'Phone number (libphonenumber-js, full metadata): international, North American, or national with a trunk 0.',
    keywords: DIGIT_KEYWORDS,
    // At `+` before a run; at `(` before a run of 2-5 digits and `)`; or at a run's first digit, after no word
    // character, `+` or `/`, then a separator: `1` alone (1-415-...), 3 digits (415-...), or 2-5 digits from a
    // trunk 0 (020 ...). The North American shape checks the character before in a lookbehind at its end, which
    // may see a `1-` prefix the match does not hold (hence only `[\w+/]` excluded before that run), or not see
    // the `1 ` prefix the match holds: then the match starts at a `1` ending a run, before a space. Except
    // after `+`, the next group follows within a separator or two (and `(`, or `) -` after a bracketed one).
    digitRuns: [
      { matchStart: [-1, -1], fromEnd: true, at: /1/, after: / /, nextRunWithin: 2 },
      { matchStart: [-1, -1], before: /\+/ },
      { matchStart: [-1, -1], length: [2, 5], before: /\(/, after: /\)/, nextRunWithin: 3 },
      { matchStart: [0, 0], length: [1, 1], at: /1/, notBefore: /[\w+/]/, after: /[ .-]/, nextRunWithin: 2 },
      { matchStart: [0, 0], length: [3, 3], notBefore: /[\w+/]/, after: /[ ./-]/, nextRunWithin: 2 },
      {
        matchStart: [0, 0],
        length: [2, 5],
        at: /0/,
        notBefore: /[\w+./-]/,
        after: /[ ./-]/,
        nextRunWithin: 2,
      },
    ],
    // Boundaries are lookbehinds placed after the first characters, so the regex engine can skip fast.
    pattern:
      /\+[1-9](?<![\w+]\+[1-9])(?:\d|[ .-](?=[\d(])|\((?=\d)|\)(?=[ .\d-])){6,22}(?<=\d)(?!\w)|(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]?\d{4}(?![\w-]|[./]\d)(?<=(?<![\w+./-])(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]?\d{4})|(?:\((?<![\w+./-]\()0\d{1,4}\) ?|0(?<![\w+./-]0|\d[A-Z0-9]{0,3} 0|[A-Z0-9]{4} [A-Z0-9]{4} 0)\d{1,4}[ ./-])(?:\d|[ .-](?=\d)){5,16}(?<=\d)(?![\w-]|[./]\d)/,
    validate: isPhoneNumber,
    truePositives: [
      'Call me at (628) 555-0174 after lunch.',
      'mobile: +44 7911 123456',
      'Kontakt: +49 30 901820',
      'WhatsApp +33 6 12 34 56 78 tonight',
      'support line 1-800-555-0199',
      'office 212.555.0147, fax 212.555.0148',
      'tel:+81-90-3841-2276',
      'ring the London office on 020 7946 0371',
      'Büro Berlin: 030 2290 4471',
      'portable 06 48 27 19 53',
      '携帯 080-4417-2290',
      'from abroad dial 0044 20 7946 0371',
      'cell 646 5550183',
    ],
    falsePositives: [
      'released on 2024-05-17 at 10:30:00',
      'version 6.28.5550174',
      'order id 62855501740 shipped',
      'timestamp 1716000000000',
      'build 123-456-7890', // area code cannot start with 1
      'score +12 points',
      'range 628-555.0174',
      'E = mc^2 + 1.5',
      'due 05-17-2024 or 17.05.2024',
      'id 078-00-1934',
      'pi is 03.14159265',
      'serial 0000 0000 0000',
      'x = 646.5550183',
      'account NL07 ABNA 0417 1643 00', // groups of a bank account, not a Dutch number
      'ref QZ51 0208 7946 0371',
    ],
  },
];
