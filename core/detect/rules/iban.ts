import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/** IBAN length per country: ISO 13616 registry, then countries with IBAN-format account numbers. */
const IBAN_LENGTH: ReadonlyMap<string, number> = new Map(
  [
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18',
    'DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23',
    'IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27',
    'MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24',
    'SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30',
    'AO25 BF28 BJ28 CF27 CG27 CI28 CM27 CV25 DZ26 GA27 GQ27 GW25 HT28 IR26 KM27 MA28 MG27 ML28 MZ25',
    'NE28 SN28 TD27 TG28',
  ]
    .join(' ')
    .split(' ')
    .map((e) => [e.slice(0, 2), Number(e.slice(2))] as const),
);

/** ISO 7064 mod 97-10 over the rearranged IBAN, computed in chunks (no BigInt). */
function mod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rest = (rest * 10 + (c - 48)) % 97;
    else rest = (rest * 100 + (c - 55)) % 97; // A=10 ... Z=35
  }
  return rest;
}

function checks(iban: string): boolean {
  const length = IBAN_LENGTH.get(iban.slice(0, 2));
  return length !== undefined && iban.length === length && mod97(iban) === 1;
}

/**
 * A grouped IBAN may be followed by a short word the pattern took for its last group (`... 8901 X in`): when
 * the whole fails, the value without that group is tried (the finding then covers the word too).
 */
export function isIban(value: string): boolean {
  if (checks(value.replace(/[ -]/g, ''))) return true;
  const last = value.search(/[ -][A-Z0-9]{1,3}$/);
  return last > 0 && checks(value.slice(0, last).replace(/[ -]/g, ''));
}

export const ibanRules: readonly Rule[] = [
  {
    id: 'iban',
    category: 'pii',
    description: 'International Bank Account Number: country length table and ISO 7064 mod-97 check.',
    keywords: DIGIT_KEYWORDS,
    // Two capital letters, then the check digits: the match starts 2 characters before a run of 2 or more.
    digitRuns: [{ matchStart: [-2, -2], length: [2, Infinity], before: /[A-Z]/ }],
    pattern:
      /(?<![A-Za-z0-9-])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?|(?:-[A-Z0-9]{4}){2,7}(?:-[A-Z0-9]{1,3})?)(?![A-Za-z0-9]|-[A-Za-z0-9])/,
    validate: isIban,
    truePositives: [
      'IBAN: DE75 5121 0800 1245 1261 99',
      'please wire to GB40WEST52601815908301 today',
      'Konto FR4739099603082462819482199, BIC AGRIFRPP',
      'NL02RABO6613186091',
      'ES81 3231 9487 5749 1186 2527',
      'Portuguese account PT45 0035 0651 0001 3627 2308 1',
      'pay into AL17-2121-1009-0000-0000-0123-4567',
      'IBAN GB40 WEST 5260 1815 9083 01 X ref',
    ],
    falsePositives: [
      'IBAN: DE75 5121 0800 1245 1261 98', // check digits do not match
      'GB40WEST5260181590830', // one character short
      'XX40WEST52601815908301', // no such country
      'SKU AB12CD34EF56GH78',
      'hash SHA256 E3B0C44298FC1C149AFBF4C8996FB924',
      'GB40-WEST 5260-1815-9083-01', // mixed separators
      'PT45 0035 0651 0001 3627 2308 2', // check digits do not match
    ],
  },
];
