import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer (IIN) ranges and the lengths each scheme issues. */
function issuerAccepts(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925))
    return n >= 16 && n <= 19; // Discover
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19; // Diners Club
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if (p2 === 62) return n >= 16 && n <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 13 && n <= 19; // Maestro
  if (p4 === 2200 || p4 === 2201 || p4 === 2202 || p4 === 2203 || p4 === 2204) return n === 16; // Mir
  if (d[0] === '1') return n === 15; // UATP
  return false;
}

/** Printed groupings: 4-4-4-4(-3), 4-4-4-1..4, Amex 4-6-5, Diners 4-6-4. One kind of separator. */
function groupingOk(value: string): boolean {
  const sep = value.includes(' ') ? ' ' : value.includes('-') ? '-' : '';
  if (sep === '') return true;
  if (value.includes(sep === ' ' ? '-' : ' ')) return false;
  const groups = value.split(sep).map((g) => g.length);
  const shape = groups.join(',');
  if (shape === '4,6,5' || shape === '4,6,4') return true;
  for (let i = 0; i < groups.length - 1; i++) if (groups[i] !== 4) return false;
  const last = groups[groups.length - 1] as number;
  return last >= 1 && last <= 4;
}

export function isPaymentCard(value: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  return groupingOk(value) && issuerAccepts(digits) && luhn(digits);
}

export const paymentCardRules: readonly Rule[] = [
  {
    id: 'credit-card',
    category: 'pii',
    description:
      'Payment card number (13-19 digits, optional spaces or dashes): issuer range, length and Luhn.',
    keywords: DIGIT_KEYWORDS,
    // At the first digit of a run, after no word character, `.`, `,` or `-`: 13 digits or more in one run, or
    // a first group of 4 or more, then a space or a dash and the next group.
    digitRuns: [
      { matchStart: [0, 0], length: [13, Infinity], notBefore: /[\w.,-]/ },
      { matchStart: [0, 0], length: [4, Infinity], notBefore: /[\w.,-]/, after: /[ -]/, nextRunWithin: 1 },
    ],
    // Compact, space-grouped or dash-grouped. A grouped number may not run on into another group of the same
    // separator (that is a longer id, not a card); a list of cards separated by spaces is fine.
    pattern:
      /(?<![\w.,-])(?:\d{13,19}(?!\w|[.,-]\d)|\d{4}(?:\d| (?=\d)){9,18}\d(?!\w|[.,-]\d| \d)|\d{4}(?:\d|-(?=\d)){9,18}\d(?!\w|[.,]\d|-\d))/,
    validate: isPaymentCard,
    truePositives: [
      'card: 4539 1488 0343 6467, exp 09/27',
      'cards on file: 4601895559797111 4924-4026-8599-5287',
      'Charge 5247-1049-7465-0758 please',
      'amex 3729 170342 36674',
      '{"pan":"6011127684268464"}',
      'JCB 3541563212233073',
    ],
    falsePositives: [
      'card: 4539 1488 0343 6468', // Luhn fails
      'order 1234567812345670 shipped', // Luhn passes, no issuer starts with 1
      'timestamp 1716000000000123',
      'card 4539-1488 0343-6467', // mixed separators
      'card 4111111111111111111111',
      'uuid 550e8400-e29b-41d4-a716-446655440000',
      'ids 4539 1488 0343 6467 0001 0002', // too long a run
    ],
  },
];
