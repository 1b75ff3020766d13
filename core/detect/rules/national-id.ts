import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/** Numbers the SSA never issued or that are famous fakes (advertising, documentation). */
const KNOWN_FAKE = new Set(['123456789', '078051120', '219099999', '457555462']);

/**
 * US Social Security number in its printed form (3-2-4 with dashes or spaces). Area 000, 666 and 900-999,
 * group 00 and serial 0000 are never issued.
 */
export function isUsSsn(value: string): boolean {
  const d = value.replace(/[ -]/g, '');
  if (d.length !== 9) return false;
  const area = Number(d.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  if (KNOWN_FAKE.has(d) || /^(\d)\1{8}$/.test(d)) return false;
  return true;
}

export const nationalIdRules: readonly Rule[] = [
  {
    id: 'us-ssn',
    category: 'pii',
    description: 'US Social Security number (AAA-GG-SSSS), issued ranges only.',
    keywords: DIGIT_KEYWORDS,
    matchStart: [0, 0],
    pattern: /(?<![\w.-])\d{3}([- ])\d{2}\1\d{4}(?![\w]|[.-]\d)/,
    validate: isUsSsn,
    truePositives: [
      'SSN: 536-90-4417',
      'her social security number is 401 58 2290.',
      '{"ssn":"287-65-4321"}',
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
    ],
  },
];
