/**
 * PII detectors (issue 3): validators, not bare patterns. Tables of synthetic values, run through one-rule
 * detectors built from the built-in set, so that each expectation names the rule that must (or must not) fire
 * and the exact span it redacts.
 */
import { describe, expect, it } from 'vitest';
import {
  builtinRules,
  createDetector,
  isIban,
  isPhoneNumber,
  isPublicIpAddress,
  isUsSsn,
  type Rule,
} from '../../core/detect/index.js';

function rule(id: string): Rule {
  const r = builtinRules.find((x) => x.id === id);
  if (r === undefined) throw new Error(`no rule ${id}`);
  return r;
}

/** The values a one-rule detector finds in `text`. */
function found(id: string, text: string): string[] {
  return createDetector({ rules: [rule(id)] })
    .scan(text)
    .map((f) => text.slice(f.start, f.end));
}

const full = createDetector();
/** Rule ids the full detector reports for `text`. */
function ids(text: string): string[] {
  return full.scan(text).map((f) => f.rule);
}

describe('phone numbers (libphonenumber-js, full metadata)', () => {
  it.each([
    ['+44 7911 123456'],
    ['+1 (415) 555-0132'],
    ['+81-90-3841-2276'],
    ['(628) 555-0174'],
    ['415.555.0132'],
    ['646 5550183'],
    ['020 7946 0371'], // GB
    ['030/2290 4471'], // DE
    ['06 48 27 19 53'], // FR
    ['080-4417-2290'], // JP
    ['03-6718 4412'], // IL or JP: some trunk-0 plan accepts it
    ['0044 20 7946 0371'], // 00 international prefix
  ])('accepts %j', (value) => {
    expect(isPhoneNumber(value)).toBe(true);
  });

  it.each([
    ['+12 345'], // too short
    ['+999 1234 5678'], // no such calling code
    ['123-456-7890'], // NANP area codes never start with 1
    ['415-555.0132'], // mixed separators: a range or a version
    ['415.5550132'], // reads as a decimal
    ['05-17-2024'], // a date, though a German plan would take the digits
    ['2024.05.17'],
    ['078-05-1193'], // the 3-2-4 shape of an SSN
    ['01.2345678'], // one dot: a number
  ])('rejects %j', (value) => {
    expect(isPhoneNumber(value)).toBe(false);
  });

  it('finds national numbers only with separators, never in bare digit runs', () => {
    expect(found('phone', 'ring 020 7946 0371 today')).toEqual(['020 7946 0371']);
    expect(found('phone', 'id 02079460371 and ts 1716000000')).toEqual([]);
  });

  it('leaves digit groups that continue a run of code groups alone (a mistyped IBAN)', () => {
    expect(found('phone', 'NL07 ABNA 0417 1643 00')).toEqual([]);
    expect(found('phone', 'BE68 0961 2345 6780')).toEqual([]);
  });
});

describe('IBAN', () => {
  it('checks the country length table and mod-97, with spaces, dashes or none', () => {
    expect(isIban('GB40WEST52601815908301')).toBe(true);
    expect(isIban('PT45 0035 0651 0001 3627 2308 1')).toBe(true);
    expect(isIban('AL17-2121-1009-0000-0000-0123-4567')).toBe(true);
    expect(isIban('GB41WEST52601815908301')).toBe(false);
    expect(isIban('GB40WEST5260181590830')).toBe(false);
  });

  it('redacts a grouped IBAN followed by a short word the pattern took for its last group, word included', () => {
    expect(found('iban', 'iban ES81 3231 9487 5749 1186 2527 X ref')).toEqual([
      'ES81 3231 9487 5749 1186 2527 X',
    ]);
    expect(found('iban', 'iban GB40 WEST 5260 1815 9083 01 X ref')).toEqual(['GB40 WEST 5260 1815 9083 01']);
  });
});

describe('US SSN and ITIN', () => {
  it('excludes areas and groups never issued', () => {
    expect(isUsSsn('536-90-4417')).toBe(true);
    for (const v of ['000-90-4417', '666-90-4417', '936-90-4417', '536-00-4417', '536-90-0000']) {
      expect(isUsSsn(v), v).toBe(false);
    }
  });

  it('finds unformatted numbers only right after SSN / ITIN wording', () => {
    expect(found('us-ssn', 'my SSN is 536904417')).toEqual(['536904417']);
    expect(found('us-ssn', 'invoice 536904417')).toEqual([]);
    expect(found('us-itin', 'ITIN 912784410')).toEqual(['912784410']);
    expect(found('us-itin', 'order 912784410')).toEqual([]);
  });

  it('tells an ITIN (9XX, IRS groups) from an SSN', () => {
    expect(ids('ref 912-78-4410')).toEqual(['us-itin']);
    expect(ids('ref 912-44-4410')).toEqual([]);
    expect(ids('ref 512-44-4410')).toEqual(['us-ssn']);
  });
});

describe('UK National Insurance and NHS numbers', () => {
  it.each([
    ['JG103742A', true],
    ['JG 10 37 42 A', true],
    ['jg 103742 a', true],
    ['DG103742A', false], // D is never a first letter
    ['JO103742A', false], // O is never a second letter
    ['NK103742A', false], // never allocated
    ['JG103742E', false], // suffix A-D only
    ['Jg103742a', false], // mixed case
  ])('NINO %j: %s', (value, ok) => {
    expect(found('uk-nino', `NI ${value}.`).length > 0).toBe(ok);
  });

  it('checks the NHS mod-11 digit and needs NHS wording for ten bare digits', () => {
    expect(found('uk-nhs', 'patient 461 107 2282')).toEqual(['461 107 2282']);
    expect(found('uk-nhs', 'patient 461 107 2283')).toEqual([]);
    expect(found('uk-nhs', 'NHS No: 4611072282')).toEqual(['4611072282']);
    expect(found('uk-nhs', 'ticket 4611072282')).toEqual([]);
  });
});

describe('IP addresses', () => {
  it.each([
    ['8.8.4.4', true],
    ['2a00:1450:4001:82b::200e', true],
    ['0:0:0:0:0:ffff:81.2.69.160', true], // mapped: the IPv4 address is public
    ['2002:5db8:d822::1', true], // 6to4 of a public IPv4 address
    ['a7c3:41::5e:9b12:7', true], // unassigned space, written as an address
    ['10.1.2.3', false],
    ['::ffff:10.1.2.3', false], // mapped private
    ['::10.1.2.3', false], // compatible private
    ['64:ff9b::203.0.113.9', false], // NAT64 of a documentation address
    ['fd12:3456:789a::1', false], // unique local
    ['ff02::1:ff00:1', false], // multicast
    ['2001:db8::1', false], // documentation
    ['1000::2', false], // two groups outside 2000::/3: a slice, not an address
  ])('%j public: %s', (value, ok) => {
    expect(isPublicIpAddress(value)).toBe(ok);
  });

  it('redacts exactly the address, also when the match is anchored on its first colon', () => {
    expect(found('ip-address', 'peer [2a00:1450:4001:82b::200e]:443 closed')).toEqual([
      '2a00:1450:4001:82b::200e',
    ]);
    expect(found('ip-address', 'mapped ::ffff:81.2.69.160 ok')).toEqual(['::ffff:81.2.69.160']);
    expect(found('ip-address', 'std::vector a[1000::2] 12:34:56')).toEqual([]);
  });
});

describe('MAC addresses', () => {
  it('finds the colon, dash and Cisco forms and redacts the whole address', () => {
    expect(found('mac-address', 'ether 3c:7d:0a:91:e4:52 up')).toEqual(['3c:7d:0a:91:e4:52']);
    expect(found('mac-address', 'Physical 8C-16-45-2F-B0-7E.')).toEqual(['8C-16-45-2F-B0-7E']);
    expect(found('mac-address', 'mac 0c1e.4fa2.93d7 on Gi0/1')).toEqual(['0c1e.4fa2.93d7']);
  });

  it('leaves group addresses, stand-ins and longer fingerprints alone', () => {
    for (const text of [
      'mc 01:00:5e:7f:ff:fa',
      'unset 00:00:00:00:00:00',
      'fp 16:27:ac:a5:76:28:2d:36',
      'digits 12-34-56-78-90-12',
    ]) {
      expect(found('mac-address', text), text).toEqual([]);
    }
  });
});

describe('crypto wallets', () => {
  it('validates Bitcoin base58check and bech32 / bech32m checksums', () => {
    expect(found('bitcoin-address', 'to 1GUfAaMLeNZpYA7sGeeV2FTmosyurp9ypo.')).toEqual([
      '1GUfAaMLeNZpYA7sGeeV2FTmosyurp9ypo',
    ]);
    expect(found('bitcoin-address', 'to 1GUfAaMLeNZpYA7sGeeV2FTmosyurp9ypp.')).toEqual([]);
    expect(found('bitcoin-address', 'bc1q8jnrnpqz6aj8h9kkyvg3ej6mnqmv4wxn8tg5l9')).toHaveLength(1);
    // A v1 program checksummed with bech32 (v0's constant) is not a valid Taproot address.
    expect(
      found('bitcoin-address', 'bc1pu6d3hvadrcsd676g4t39xq8ck290tptd5aqs7ejj55y5pewvk2sqk5n8u8'),
    ).toHaveLength(1);
    expect(
      found('bitcoin-address', 'bc1qu6d3hvadrcsd676g4t39xq8ck290tptd5aqs7ejj55y5pewvk2sqk5n8u8'),
    ).toEqual([]);
  });

  it('checks EIP-55 (keccak-256) on mixed-case Ethereum addresses', () => {
    // The four mixed-case examples of the EIP-55 specification.
    for (const a of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ]) {
      expect(found('ethereum-address', `to ${a}`), a).toEqual([a]);
      // One letter in the other case breaks the checksum.
      const i = a.slice(2).search(/[a-fA-F]/) + 2;
      const c = a[i] as string;
      const flipped =
        a.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + a.slice(i + 1);
      expect(found('ethereum-address', `to ${flipped}`), flipped).toEqual([]);
    }
  });

  it('takes a single-case Ethereum address only after wallet wording', () => {
    const lower = '0x343c320945d91ad4fc376cc80a2062fb35a75c93';
    expect(found('ethereum-address', `my eth address: ${lower}`)).toEqual([lower]);
    expect(found('ethereum-address', `digest ${lower}`)).toEqual([]);
  });
});
