import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/**
 * Well-known group addresses: they name a protocol, not a device (IPv4 and IPv6 multicast, spanning tree /
 * LLDP, broadcast).
 */
const GROUP_PREFIXES = ['01005e', '3333', '0180c2', 'ffffffffffff'];

/**
 * A MAC address (EUI-48) as printed by `ip link`, Windows and Cisco: `00:1a:2b:3c:4d:5e`, `00-1A-2B-3C-4D-5E`,
 * `001a.2b3c.4d5e`. All-zero, one repeated digit and well-known group addresses are not findings; the dash and
 * dotted forms need a letter, so that digit groups (`12-34-56-78-90-12`, `2024.0517.1030`) are left alone.
 */
export function isMacAddress(value: string): boolean {
  const hex = value.replace(/[:.-]/g, '').toLowerCase();
  if (hex.length !== 12 || /^(.)\1{11}$/.test(hex)) return false;
  for (const p of GROUP_PREFIXES) if (hex.startsWith(p)) return false;
  return value.includes(':') || /[a-f]/.test(hex);
}

export const macAddressRules: readonly Rule[] = [
  {
    id: 'mac-address',
    category: 'pii',
    description: 'MAC address (six hex pairs with : or -, or Cisco dotted 4.4.4) that names a device.',
    keywords: DIGIT_KEYWORDS,
    // Anchored on the first separator (the regex engine finds `:`, `-` and `.` fast; a pattern starting with a
    // hex class would be tried at every letter a-f); the group in the lookbehind is where the address starts.
    // The lookbehind at the end requires a digit in the address, so the match (at address offset 2, or 4 in
    // the dotted form) is at most 14 characters before a digit and 4 after one. A MAC with no digit at all (1
    // in 100,000 real ones) is nearly always a stand-in like AA:BB:CC:DD:EE:FF.
    // Relative to a run of at most 4 digits inside the address (pairs, or the dotted form's groups): the
    // separator is 14 characters before the run at most, 4 after; nothing around the run is a non-hex letter.
    digitRuns: [
      { matchStart: [-14, 4], length: [1, 4], at: /[:.-]/, notBefore: /[G-Zg-z_]/, notAfter: /[G-Zg-z_]/ },
    ],
    pattern:
      /[:.-](?<=(?<![\w:.-])([0-9A-Fa-f]{2}[:-]|[0-9A-Fa-f]{4}\.))(?:(?<=:)[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){4}|(?<=-)[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){4}|(?<=\.)[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:]|[.-]\w)(?<=\d[0-9A-Fa-f:.-]{0,16})/,
    startGroup: 1,
    validate: isMacAddress,
    truePositives: [
      'link/ether 3c:7d:0a:91:e4:52 brd ff:ff:ff:ff:ff:ff',
      'Physical Address. . . : 8C-16-45-2F-B0-7E',
      'mac-address 0c1e.4fa2.93d7 on Gi0/1',
      'device ac:de:48:00:11:22 joined',
      'BSSID 9a:3F:e1:07:5c:B4',
    ],
    falsePositives: [
      'MAC 00:00:00:00:00:00 means unset',
      'multicast 01:00:5e:7f:ff:fa',
      'fingerprint 16:27:ac:a5:76:28:2d:36:63:1b:56:4d',
      'time 12:34:56, ratio 1:2:3:4:5:6',
      'part 12-34-56-78-90-12',
      'build 2024.0517.1030',
      'mixed 3c:7d-0a:91:e4:52',
      'ipv6 fe80::3c7d:aff:fe91:e452',
    ],
  },
];
