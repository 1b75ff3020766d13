import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/**
 * IP addresses that identify someone: by default only PUBLIC addresses are findings. An address is public
 * unless it sits in a block that is not globally reachable: private (RFC 1918, IPv6 ULA fc00::/7),
 * loopback, link-local, CGNAT, unspecified, documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
 * 2001:db8::/32, 3fff::/20), benchmarking, IETF protocol assignments, reserved (240/4 and ::/8), broadcast and
 * multicast (a group, not a host). An IPv6 address that carries an IPv4 address (mapped ::ffff:a.b.c.d,
 * translated ::ffff:0:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) takes that IPv4
 * address's scope: `::ffff:10.0.0.1` is as private as `10.0.0.1`. Other IPv6 space the IETF has not assigned
 * yet counts as public (whoever wrote it meant an address), but needs three written groups there, so that
 * Python slices (`a[1000::2]`) and C++ scopes are not taken for addresses.
 *
 * Addresses of hosts on private networks (RFC 1918, CGNAT, link-local, IPv6 ULA) are a policy choice: the
 * `ip-address-private` rule finds them, and is off until an organisation turns it on in its actions. Loopback,
 * documentation, multicast and reserved addresses name no host of anyone's, so no rule reports them.
 */

/**
 * `parseIpv4` for a value of digits and dots only (every IPv4 match): one pass, no allocation but the result.
 * Undefined when the value has another character (then `parseIpv4` decides), null when it is no address.
 */
function parseDigitsAndDots(value: string): number[] | null | undefined {
  const octets = [0, 0, 0, 0];
  let part = 0;
  let digits = 0;
  let n = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part === 4 || n > 255) return i < value.length ? scan(value, i) : null;
      octets[part++] = n;
      digits = 0;
      n = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && n === 0) return scan(value, i); // a leading zero: 01.02 is not an address
      if (++digits > 3) return scan(value, i);
      n = n * 10 + (c - 48);
    } else {
      return undefined;
    }
  }
  return part === 4 ? octets : null;
}

/** The rest of `value` from `i` on: undefined when it has a character other than a digit or a dot, else null. */
function scan(value: string, i: number): null | undefined {
  for (let j = i; j < value.length; j++) {
    const c = value.charCodeAt(j);
    if (c !== 46 && (c < 48 || c > 57)) return undefined;
  }
  return null;
}

function parseIpv4(value: string): number[] | undefined {
  const fast = parseDigitsAndDots(value);
  if (fast !== undefined) return fast ?? undefined;
  const parts = value.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p[0] === '0')) return undefined; // 01.02 is not an address
    const n = Number(p);
    if (!Number.isInteger(n) || n > 255) return undefined;
    octets.push(n);
  }
  return octets;
}

export function isPublicIpv4(octets: readonly number[]): boolean {
  const [a = 0, b = 0, c = 0] = octets;
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast, reserved
  if (a === 100 && b >= 64 && b <= 127) return false; // CGNAT
  if (a === 169 && b === 254) return false; // link-local
  if (a === 172 && b >= 16 && b <= 31) return false; // private
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return true;
}

/** Parses an IPv6 address (with `::` and an optional dotted IPv4 tail) into 8 groups. */
function parseIpv6(value: string): number[] | undefined {
  let text = value;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [(v4[0] as number) * 256 + (v4[1] as number), (v4[2] as number) * 256 + (v4[3] as number)];
    text = text[lastColon - 1] === ':' ? text.slice(0, lastColon + 1) : text.slice(0, lastColon);
  }
  const need = 8 - tail.length;
  const double = text.indexOf('::');
  if (double !== text.lastIndexOf('::')) return undefined;
  let groups: number[] | undefined;
  if (double >= 0) {
    const head = hexGroups(text.slice(0, double));
    const rest = hexGroups(text.slice(double + 2));
    if (head === undefined || rest === undefined) return undefined;
    const fill = need - head.length - rest.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    groups = hexGroups(text);
    if (groups === undefined || groups.length !== need) return undefined;
  }
  return [...groups, ...tail];
}

function hexGroups(s: string): number[] | undefined {
  if (s === '') return [];
  const out: number[] = [];
  for (const g of s.split(':')) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
    out.push(parseInt(g, 16));
  }
  return out;
}

/** The IPv4 address an IPv6 address carries in its last 32 bits, by prefix; undefined when it carries none. */
function embeddedIpv4(g: readonly number[]): number[] | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const low = [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) {
    if (g4 === 0 && g5 === 0xffff) return low; // mapped ::ffff:a.b.c.d
    if (g4 === 0xffff && g5 === 0) return low; // translated ::ffff:0:a.b.c.d
    if (g4 === 0 && g5 === 0 && g6 !== 0) return low; // compatible ::a.b.c.d (deprecated)
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return low; // NAT64
  if (g0 === 0x2002) return [g1 >> 8, g1 & 255, g2 >> 8, g2 & 255]; // 6to4
  return undefined;
}

/** `written`: how many groups the text spelled out (`::` elides the rest). */
export function isPublicIpv6(groups: readonly number[], written = 8): boolean {
  const v4 = embeddedIpv4(groups);
  if (v4 !== undefined) return isPublicIpv4(v4);
  const [g0 = 0, g1 = 0] = groups;
  if (g0 < 0x0200) return false; // ::/8 and 100::/8: unspecified, loopback, discard-only, reserved
  if ((g0 & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return false; // link-local, old site-local
  if (g0 >= 0xff00) return false; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  if (g0 === 0x3fff && g1 < 0x1000) return false; // documentation 3fff::/20
  if (g0 === 0x2001 && g1 < 0x0200) return false; // IETF protocol assignments (Teredo, ORCHID...)
  if ((g0 & 0xe000) === 0x2000) return true; // global unicast 2000::/3
  return written >= 3; // unassigned space: a real-looking address, not `a[1000::2]`
}

/** The `ip-address` validator: true for public IPv4 / global IPv6 only (see the file comment). */
export function isPublicIpAddress(value: string): boolean {
  if (value.includes(':')) {
    const groups = parseIpv6(value);
    const written = value.split(/:+/).filter((part) => part !== '').length;
    return groups !== undefined && isPublicIpv6(groups, written);
  }
  const octets = parseIpv4(value);
  return octets !== undefined && isPublicIpv4(octets);
}

/** The `ip-address-private` validator: a host on a private network (see the file comment). */
export function isPrivateIpAddress(value: string): boolean {
  let v4: readonly number[] | undefined;
  if (value.includes(':')) {
    const groups = parseIpv6(value);
    if (groups === undefined) return false;
    v4 = embeddedIpv4(groups);
    if (v4 === undefined) {
      const g0 = groups[0] as number;
      return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80; // unique local, link-local
    }
  } else v4 = parseIpv4(value);
  if (v4 === undefined) return false;
  const [a = 0, b = 0] = v4;
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) || // CGNAT
    (a === 169 && b === 254) // link-local
  );
}

export const ipAddressRules: readonly Rule[] = [
  {
    id: 'ip-address',
    category: 'pii',
    description:
      'Public IPv4 or global IPv6 address (private, loopback, link-local, reserved, documentation ranges are not findings).',
    keywords: DIGIT_KEYWORDS,
    // Anchored on the first digit of an IPv4 address or the first colon of an IPv6 one (a pattern starting with
    // a hex class would be tried at every letter a-f): the group in the lookbehind is where the address starts
    // (up to 4 hex digits before that colon). An IPv6 address needs a digit within 7 characters after that
    // colon or in the group before it, so the match is at most 7 characters before a digit and 4 after one.
    // IPv4: at a run of 1-3 digits followed by `.` and the next run, after no word character, `.`, `:` or `-`.
    // IPv6: at the first colon, which the lookbehinds place 1-4 hex characters after the start of a run of at
    // most 4 digits in the hex group before it (the run then followed by hex letters or that colon, and
    // preceded by hex letters or the group's start); or, counting to the first digit after it, 1-7 hex letters
    // and colons before a run, the group before the colon then without a digit (else the first case holds).
    digitRuns: [
      { matchStart: [0, 0], length: [1, 3], notBefore: /[\w.:-]/, after: /\./, nextRunWithin: 1 },
      {
        matchStart: [1, 4],
        length: [1, 4],
        at: /:/,
        notBefore: /[G-Zg-z_.:-]/,
        after: /[A-Fa-f:]/,
        through: /[0-9A-Fa-f]/,
      },
      {
        matchStart: [-7, -1],
        at: /:/,
        notPrecededBy: /[0-9G-Zg-z_.:-]/,
        before: /[A-Fa-f:]/,
        through: /[A-Fa-f:]/,
      },
    ],
    pattern:
      /(?:\d(?<![\w.:-]\d)(?=\d{0,2}\.\d)|:(?=[0-9A-Fa-f]{0,4}:))(?<=(?<![\w.:-])(\d|[0-9A-Fa-f]{0,4}:))(?:(?<=\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w-]|\.\d)|(?<=:)(?:(?<=\d[0-9A-Fa-f]{0,3}:)|(?=[0-9A-Fa-f:]{0,6}\d))[0-9A-Fa-f:]{1,38}(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})?(?![\w:]|\.\d))/,
    startGroup: 1,
    validate: isPublicIpAddress,
    truePositives: [
      'client connected from 8.8.4.4 at noon',
      'X-Forwarded-For: 93.184.216.34',
      'peer 2a00:1450:4001:82b::200e closed the stream',
      'mapped ::ffff:81.2.69.160',
      'AAAA 2606:4700:4700::1111.',
      'v4-mapped 0:0:0:0:0:ffff:81.2.69.160',
      'odd but well-formed a7c3:41::5e:9b12:7',
      'via 6to4 2002:5db8:d822::1',
      'peer [2a03:2880:f10e:83::25de]:443',
    ],
    falsePositives: [
      'listen on 127.0.0.1:8080',
      'gateway 192.168.1.1, dns 10.0.0.53, pod 172.20.3.4',
      'docs use 203.0.113.7 and 2001:db8::1',
      'link-local fe80::1ff:fe23:4567:890a',
      'version 1.2.3.4.5',
      'bump to 10.0.19041.1',
      'mask 255.255.255.0',
      'at 10:30:00 on 2024-05-17',
      'std::vector<int> v;',
      'sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12',
      'loopback ::1 and unspecified ::',
      'mapped private ::ffff:10.1.2.3 and ::10.1.2.3',
      'nat64 of a doc address 64:ff9b::203.0.113.9',
      'multicast ff02::1:ff00:1 and 239.255.255.250',
      'ula fd12:3456:789a::1',
      'slice a[1000::2] and b[7::]',
      'ratio 1:2:3:4, time 12:34:56, port 80:443',
    ],
  },
];

const publicAddressRule = ipAddressRules[0] as Rule;

/** Off by default (`defaultAction: 'allow'`): a policy turns it on with `actions.rules["ip-address-private"]`. */
export const privateIpAddressRules: readonly Rule[] = [
  {
    ...publicAddressRule,
    id: 'ip-address-private',
    description:
      'IP address of a host on a private network (RFC 1918, CGNAT, link-local, IPv6 unique local); off by default.',
    validate: isPrivateIpAddress,
    defaultAction: 'allow',
    truePositives: [
      'gateway 192.168.1.1, dns 10.0.0.53, pod 172.20.3.4',
      'carrier NAT 100.72.14.9',
      'ula fd12:3456:789a::1 and link-local fe80::1ff:fe23:4567:890a',
      'mapped ::ffff:10.1.2.3',
    ],
    falsePositives: [
      'client connected from 8.8.4.4 at noon',
      'listen on 127.0.0.1:8080',
      'docs use 203.0.113.7 and 2001:db8::1',
      'mask 255.255.255.0',
      'version 10.0.19041.1',
      'multicast 239.255.255.250',
    ],
  },
];
