import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/**
 * Phone numbers. Without libphonenumber-js in the dependency set this is a compact validator of its own:
 * - international numbers written with `+`: an assigned ITU country calling code, and a national number
 *   whose length is plausible for that country (a table for common countries, 4-12 digits otherwise);
 * - North American numbers in national format, with separators: `(628) 555-0174`, `415-555-0132`,
 *   `415.555.0132`, `1-415-555-0132`, checked against NANP rules (area and exchange start with 2-9).
 * Bare digit runs (timestamps, order ids) and dates are never matched: a national number needs separators.
 * The boundary checks are lookbehinds placed after the first characters, so the regex engine can skip fast.
 */

/** ITU-T E.164 assigned country calling codes (2024). */
const CALLING_CODES = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 ' +
    '211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 ' +
    '250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 ' +
    '370 371 372 373 374 375 376 377 378 379 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 ' +
    '593 594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 852 853 855 ' +
    '856 870 878 880 881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994 995 996 998'
  ).split(' '),
);

/** National significant number lengths `code:min-max` where they are well known; others get 4-12
 * (small territories have 4- and 5-digit numbers). */
const NSN_LENGTH: ReadonlyMap<string, readonly [number, number]> = new Map(
  [
    '1:10-10 7:10-10 20:8-10 27:9-9 30:10-10 31:9-9 32:8-9 33:9-9 34:9-9 36:8-9 39:6-11 41:9-9',
    '43:4-13 44:9-10 45:8-8 46:7-10 47:8-8 48:9-9 49:6-13 52:10-10 54:10-11 55:10-11 61:9-9 62:8-12',
    '63:8-10 64:8-10 65:8-8 66:8-9 81:9-10 82:8-10 84:9-10 86:7-12 90:10-10 91:10-10 351:9-9 353:7-9',
    '420:9-9 971:8-9 972:8-9',
  ]
    .join(' ')
    .split(' ')
    .map((e) => {
      const [code = '', range = ''] = e.split(':');
      const [min = 0, max = 0] = range.split('-').map(Number);
      return [code, [min, max] as const] as const;
    }),
);

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
  if (digits.length < 7 || digits.length > 15) return false;
  for (let len = 1; len <= 3; len++) {
    const cc = digits.slice(0, len);
    if (!CALLING_CODES.has(cc)) continue;
    const nsn = digits.slice(len);
    const [min, max] = NSN_LENGTH.get(cc) ?? [4, 12];
    if (nsn.length < min || nsn.length > max) return false;
    if (cc === '1') return isNanp(nsn);
    return !/^(\d)\1+$/.test(nsn);
  }
  return false;
}

export function isPhoneNumber(value: string): boolean {
  if (value.startsWith('+')) return isInternational(value);
  let digits = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += value[i];
  }
  if (digits.length === 11) {
    if (digits[0] !== '1') return false;
    digits = digits.slice(1);
  }
  if (digits.length !== 10) return false;
  // Separators must agree: 415-555-0132 or 415.555.0132, not 415-555.0132 (a version or a range).
  if (!value.includes(')')) {
    const seps = value.replace(/\d/g, '');
    if (seps[seps.length - 1] !== seps[seps.length - 2]) return false;
  }
  return isNanp(digits);
}

export const phoneRules: readonly Rule[] = [
  {
    id: 'phone',
    category: 'pii',
    description: 'Phone number: international (+ country code) or North American national format.',
    keywords: DIGIT_KEYWORDS,
    // At a digit, or one character before it (`+` or `(`).
    matchStart: [-1, 0],
    pattern:
      /\+[1-9](?<![\w+]\+[1-9])(?:\d|[ .-](?=[\d(])|\((?=\d)|\)(?=[ .\d-])){6,22}(?<=\d)(?!\w)|(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-]|\.\d)(?<=(?<![\w+.-])(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4})/,
    validate: isPhoneNumber,
    truePositives: [
      'Call me at (628) 555-0174 after lunch.',
      'mobile: +44 7911 123456',
      'Kontakt: +49 30 901820',
      'WhatsApp +33 6 12 34 56 78 tonight',
      'support line 1-800-555-0199',
      'office 212.555.0147, fax 212.555.0148',
      'tel:+81-90-3841-2276',
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
    ],
  },
];
