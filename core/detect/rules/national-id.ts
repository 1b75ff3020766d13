import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/** Numbers the SSA never issued or that are famous fakes (advertising, documentation). */
const KNOWN_FAKE = new Set(['123456789', '078051120', '219099999', '457555462']);

/**
 * US Social Security number: 3-2-4 digits. Area 000, 666 and 900-999, group 00 and serial 0000 are never
 * issued.
 */
export function isUsSsn(value: string): boolean {
  const d = value.replace(/[ .-]/g, '');
  if (d.length !== 9) return false;
  const area = Number(d.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  if (KNOWN_FAKE.has(d) || /^(\d)\1{8}$/.test(d)) return false;
  return true;
}

/**
 * US Individual Taxpayer Identification Number: 9XX-GG-SSSS with the group in 50-65, 70-88, 90-92 or 94-99
 * (the IRS ranges; the rest of 9XX is never an ITIN, and never an SSN).
 */
export function isUsItin(value: string): boolean {
  const d = value.replace(/[ .-]/g, '');
  if (d.length !== 9 || d[0] !== '9') return false;
  const g = Number(d.slice(3, 5));
  if (!((g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94)) return false;
  return d.slice(5) !== '0000' && !/^9(\d)\1{7}$/.test(d);
}

export const nationalIdRules: readonly Rule[] = [
  {
    id: 'us-ssn',
    category: 'pii',
    description:
      'US Social Security number (AAA-GG-SSSS; unformatted only right after "SSN" or "social security"), issued ranges only.',
    keywords: DIGIT_KEYWORDS,
    // At a run of 3 (then a separator and the next group), 5 (3-2 unseparated, then the same) or 9 digits,
    // after no word character, `.` or `-`.
    digitRuns: [
      { matchStart: [0, 0], length: [3, 3], notBefore: /[\w.-]/, after: /[- .]/, nextRunWithin: 1 },
      { matchStart: [0, 0], length: [5, 5], notBefore: /[\w.-]/, after: /[- .]/, nextRunWithin: 1 },
      { matchStart: [0, 0], length: [9, 9], notBefore: /[\w.-]/ },
    ],
    // Printed 3-2-4 with one separator kind; or, when a lookbehind sees the words just before, any grouping.
    pattern:
      /(?<![\w.-])\d{3}(?:([- .])\d{2}\1\d{4}|[- .]?\d{2}[- .]?\d{4}(?<=(?:\bssn|social security(?: number| no\.?)?)(?: is)?[ :=#"']{0,4}\d{3}[- .]?\d{2}[- .]?\d{4}))(?!\w|[.-]\d)/i,
    validate: isUsSsn,
    truePositives: [
      'SSN: 536-90-4417',
      'her social security number is 401 58 2290.',
      '{"ssn":"287-65-4321"}',
      'ssn 287.65.4321 on file',
      'my SSN is 536904417',
      'Social Security No. 401-582290',
    ],
    falsePositives: [
      'SSN: 000-12-3456',
      'SSN: 666-12-3456',
      'SSN: 912-34-5678',
      'SSN: 536-00-4417',
      'SSN: 536-90-0000',
      'SSN: 123-45-6789',
      'part 536-90-4417-22',
      'date 2024-05-17',
      'invoice 536904417 paid', // unformatted, no SSN wording
      'ref 287-65.4321', // mixed separators, no SSN wording
    ],
  },
  {
    id: 'us-itin',
    category: 'pii',
    description:
      'US Individual Taxpayer Identification Number (9XX-GG-SSSS, IRS group ranges; unformatted only after "ITIN"/"taxpayer id").',
    // Every ITIN starts with 9.
    keywords: ['9'],
    // As for us-ssn, at a run starting with 9.
    digitRuns: [
      { matchStart: [0, 0], length: [3, 3], at: /9/, notBefore: /[\w.-]/, after: /[- .]/, nextRunWithin: 1 },
      { matchStart: [0, 0], length: [5, 5], at: /9/, notBefore: /[\w.-]/, after: /[- .]/, nextRunWithin: 1 },
      { matchStart: [0, 0], length: [9, 9], at: /9/, notBefore: /[\w.-]/ },
    ],
    pattern:
      /9(?<![\w.-]9)\d{2}(?:([- .])(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])\1\d{4}|[- .]?(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])[- .]?\d{4}(?<=(?:\bitin|\btin|taxpayer id(?:entification)?(?: number| no\.?)?)\b[^\n]{0,32}))(?!\w|[.-]\d)/i,
    validate: isUsItin,
    truePositives: [
      'ITIN: 912-78-4410',
      'taxpayer id 983 92 1057 for the return',
      'my itin is 912784410',
      'TIN 95076-3318 (ITIN)',
      'taxpayer id: 912-784410 or 91278-4410',
    ],
    falsePositives: [
      'ITIN: 912-44-4410', // group 44 is not an ITIN group
      'ITIN: 912-93-4410', // nor 93
      'ITIN: 912-78-0000',
      'order 912784410 shipped', // unformatted, no ITIN wording
      'part 912-78-4410-2',
      'ref 912-78-44101',
    ],
  },
];
