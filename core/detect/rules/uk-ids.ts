import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/** Letters HMRC never uses in a National Insurance number prefix: first letter, second letter. */
const NINO_FIRST_NOT = new Set('DFIQUV');
const NINO_SECOND_NOT = new Set('DFIOQUV');
/** Prefixes never allocated (and TN, used for temporary numbers). */
const NINO_PREFIX_NOT = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * UK National Insurance number: two prefix letters from HMRC's allowed sets, six digits, suffix A-D; in one
 * case (`AB123456C` or `ab123456c`, not `Ab123456c`).
 */
export function isUkNino(value: string): boolean {
  const v = value.replace(/ /g, '');
  if (v.length !== 9) return false;
  const upper = v.toUpperCase();
  if (v !== upper && v !== v.toLowerCase()) return false;
  const a = upper[0] as string;
  const b = upper[1] as string;
  if (NINO_FIRST_NOT.has(a) || NINO_SECOND_NOT.has(b) || NINO_PREFIX_NOT.has(a + b)) return false;
  return !/^(\d)\1{5}$/.test(v.slice(2, 8));
}

/** NHS number (England, Wales, Isle of Man; also Scotland's CHI and Northern Ireland's H&C): mod-11 check digit. */
export function isUkNhs(value: string): boolean {
  const d = value.replace(/\D/g, '');
  if (d.length !== 10 || /^(\d)\1{9}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === d.charCodeAt(9) - 48;
}

export const ukIdRules: readonly Rule[] = [
  {
    id: 'uk-nino',
    category: 'pii',
    description: 'UK National Insurance number (AB 12 34 56 C): allowed prefix letters, suffix A-D.',
    keywords: DIGIT_KEYWORDS,
    // Two letters and maybe a space before the first digit, at a run of 2 digits (spaced, then a space) or 6.
    digitRuns: [
      {
        matchStart: [-3, -2],
        length: [2, 2],
        at: /[A-Za-z]/,
        before: /[A-Za-z ]/,
        after: / /,
        nextRunWithin: 1,
      },
      { matchStart: [-3, -2], length: [6, 6], at: /[A-Za-z]/, before: /[A-Za-z ]/, after: /[ A-Da-d]/ },
    ],
    pattern: /(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2}( ?)\d{2}\1\d{2} ?[A-Da-d](?![A-Za-z0-9])/,
    validate: isUkNino,
    truePositives: [
      'NI number: JG 10 37 42 A',
      'nino=PX417725C',
      'national insurance no. ce 55 01 93 b',
      'HMRC ref WR 482913 D',
    ],
    falsePositives: [
      'NI number: QG 10 37 42 A', // Q is never a first letter
      'NI number: JO 10 37 42 A', // O is never a second letter
      'NI number: GB 10 37 42 A', // never allocated
      'NI number: JG 10 37 42 E', // suffix is A-D
      'NI number: Jg 10 37 42 a', // mixed case
      'part AB12345C', // five digits
      'sku XJG103742A',
    ],
  },
  {
    id: 'uk-nhs',
    category: 'pii',
    description: 'UK NHS number (3-3-4, mod-11 check digit; ten bare digits only right after "NHS" wording).',
    keywords: DIGIT_KEYWORDS,
    // At a run of 3 digits then a separator and the next group, or of 10, after no word character, `.` or `-`.
    digitRuns: [
      { matchStart: [0, 0], length: [3, 3], notBefore: /[\w.-]/, after: /[- ]/, nextRunWithin: 1 },
      { matchStart: [0, 0], length: [10, 10], notBefore: /[\w.-]/ },
    ],
    pattern:
      /(?<![\w.-])\d{3}(?:([- ])\d{3}\1\d{4}|\d{7}(?<=\bnhs(?: (?:number|no\.?|num))?(?: is)?[ :=#"']{0,4}\d{10}))(?!\w|[.-]\d)/i,
    validate: isUkNhs,
    truePositives: [
      'NHS number 461 107 2282',
      'patient 712-019-3376 was referred',
      'nhs no: 6341508824',
      '{"nhsNumber":"358 104 2762"}',
    ],
    falsePositives: [
      'NHS number 461 107 2283', // check digit does not match
      'NHS number 408 017 2940', // check digit would be 10: never issued
      'ticket 6341508824', // ten bare digits without NHS wording
      'ref 461-107 2282', // mixed separators
      'id 470-093-1159-7',
    ],
  },
];
