import { createHash } from 'node:crypto';
import type { Rule } from '../types.js';
import { DIGIT_KEYWORDS } from './shared.js';

/**
 * Cryptocurrency wallet addresses, each with its checksum:
 * - Bitcoin legacy (P2PKH `1...`) and script (P2SH `3...`) addresses: base58check, version byte 0 or 5,
 *   checksum the first 4 bytes of SHA-256(SHA-256(payload));
 * - Bitcoin SegWit `bc1...`: bech32 (witness v0, BIP 173) or bech32m (v1+, Taproot, BIP 350), with the
 *   program lengths those versions allow;
 * - Ethereum `0x` + 40 hex: a mixed-case address carries the EIP-55 checksum (keccak-256 of the lowercase
 *   hex); an all-lowercase or all-uppercase one carries none and counts only after wallet wording.
 */

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58.length; i++) BASE58_VALUE[BASE58.charCodeAt(i)] = i;

/** Base58 to bytes (leading `1`s are zero bytes); undefined on a character outside the alphabet. */
function base58Decode(s: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    let carry = code < 128 ? (BASE58_VALUE[code] as number) : -1;
    if (carry < 0) return undefined;
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] as number) * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < s.length && s[i] === '1'; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}

/** Bitcoin P2PKH / P2SH: 25 bytes, version 0x00 or 0x05, double-SHA-256 checksum. */
export function isBase58CheckAddress(value: string): boolean {
  const bytes = base58Decode(value);
  if (bytes === undefined || bytes.length !== 25) return false;
  if (bytes[0] !== 0x00 && bytes[0] !== 0x05) return false;
  const check = sha256(sha256(bytes.subarray(0, 21)));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[21 + i]) return false;
  return true;
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32M_CONST = 0x2bc830a3;

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++)
      if (((top >>> i) & 1) === 1) chk = (chk ^ (BECH32_GENERATOR[i] as number)) >>> 0;
  }
  return chk;
}

/** `bc1` SegWit address: bech32 for witness v0 (20- or 32-byte program), bech32m for v1-16 (2-40 bytes). */
export function isSegwitAddress(value: string): boolean {
  if (value !== value.toLowerCase() && value !== value.toUpperCase()) return false;
  const v = value.toLowerCase();
  if (!v.startsWith('bc1') || v.length < 14 || v.length > 74) return false;
  const data: number[] = [];
  for (let i = 3; i < v.length; i++) {
    const d = BECH32_CHARSET.indexOf(v[i] as string);
    if (d < 0) return false;
    data.push(d);
  }
  // hrp "bc" expanded: high bits of each character, 0, low bits.
  const check = polymod([3, 3, 0, 2, 3, ...data]);
  const version = data[0] as number;
  if (version > 16) return false;
  if (check !== (version === 0 ? 1 : BECH32M_CONST)) return false;
  // The program: 5-bit groups after the version, before the 6-character checksum, regrouped to bytes.
  let acc = 0;
  let bits = 0;
  let length = 0;
  for (let i = 1; i < data.length - 6; i++) {
    acc = ((acc << 5) | (data[i] as number)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      length++;
    }
  }
  if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) return false; // padding: fewer than 5 bits, all zero
  if (version === 0) return length === 20 || length === 32;
  return length >= 2 && length <= 40;
}

// Keccak-256, as Ethereum uses it (padding 0x01, not SHA-3's 0x06). Node's crypto offers only NIST SHA-3
// (`sha3-256`), whose padding differs, so its digests are not EIP-55's; rather than add a dependency for one
// 40-byte hash, here is Keccak-f[1600] on 32-bit halves (lane i: state[2i] low word, state[2i + 1] high word).

const ROTATION = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44];
const PI_LANE = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];
/** Round constants from the LFSR of the Keccak reference (x^8 + x^6 + x^5 + x^4 + 1), as [low, high] words. */
const ROUND_CONSTANTS = new Uint32Array(48);
{
  let r = 1;
  for (let round = 0; round < 24; round++) {
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < 7; j++) {
      if ((r & 1) === 1) {
        const bit = (1 << j) - 1;
        if (bit < 32) lo |= 1 << bit;
        else hi |= 1 << (bit - 32);
      }
      r = (r & 0x80) !== 0 ? ((r << 1) ^ 0x171) & 0xff : (r << 1) & 0xff;
    }
    ROUND_CONSTANTS[2 * round] = lo >>> 0;
    ROUND_CONSTANTS[2 * round + 1] = hi >>> 0;
  }
}

function keccakF(s: Uint32Array): void {
  const c = new Uint32Array(10);
  for (let round = 0; round < 24; round++) {
    // θ
    for (let x = 0; x < 10; x++)
      c[x] =
        (s[x] as number) ^
        (s[x + 10] as number) ^
        (s[x + 20] as number) ^
        (s[x + 30] as number) ^
        (s[x + 40] as number);
    for (let x = 0; x < 5; x++) {
      const n = ((x + 1) % 5) * 2;
      const p = ((x + 4) % 5) * 2;
      const lo = (c[p] as number) ^ (((c[n] as number) << 1) | ((c[n + 1] as number) >>> 31));
      const hi = (c[p + 1] as number) ^ (((c[n + 1] as number) << 1) | ((c[n] as number) >>> 31));
      for (let y = 0; y < 50; y += 10) {
        s[y + 2 * x] = (s[y + 2 * x] as number) ^ lo;
        s[y + 2 * x + 1] = (s[y + 2 * x + 1] as number) ^ hi;
      }
    }
    // ρ and π
    let lo = s[2] as number;
    let hi = s[3] as number;
    for (let i = 0; i < 24; i++) {
      const j = 2 * (PI_LANE[i] as number);
      const r = ROTATION[i] as number;
      const nextLo = s[j] as number;
      const nextHi = s[j + 1] as number;
      if (r < 32) {
        s[j] = (lo << r) | (hi >>> (32 - r));
        s[j + 1] = (hi << r) | (lo >>> (32 - r));
      } else {
        s[j] = (hi << (r - 32)) | (lo >>> (64 - r));
        s[j + 1] = (lo << (r - 32)) | (hi >>> (64 - r));
      }
      lo = nextLo;
      hi = nextHi;
    }
    // χ
    for (let y = 0; y < 50; y += 10) {
      for (let x = 0; x < 10; x++) c[x] = s[y + x] as number;
      for (let x = 0; x < 10; x += 2) {
        const x1 = (x + 2) % 10;
        const x2 = (x + 4) % 10;
        s[y + x] = (c[x] as number) ^ (~(c[x1] as number) & (c[x2] as number));
        s[y + x + 1] = (c[x + 1] as number) ^ (~(c[x1 + 1] as number) & (c[x2 + 1] as number));
      }
    }
    // ι
    s[0] = (s[0] as number) ^ (ROUND_CONSTANTS[2 * round] as number);
    s[1] = (s[1] as number) ^ (ROUND_CONSTANTS[2 * round + 1] as number);
  }
}

/** Keccak-256 of `data` (any length). */
export function keccak256(data: Uint8Array): Uint8Array {
  const rate = 136;
  const s = new Uint32Array(50);
  const blocks = Math.floor(data.length / rate) + 1;
  const padded = new Uint8Array(blocks * rate);
  padded.set(data);
  padded[data.length] = (padded[data.length] as number) ^ 0x01;
  padded[padded.length - 1] = (padded[padded.length - 1] as number) ^ 0x80;
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < rate; i++) {
      const k = i >> 2; // 32-bit word index: lanes are little-endian, low word first
      s[k] = (s[k] as number) ^ ((padded[b * rate + i] as number) << ((i & 3) * 8));
    }
    keccakF(s);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = ((s[i >> 2] as number) >>> ((i & 3) * 8)) & 0xff;
  return out;
}

/** EIP-55: in a mixed-case address, letter i is uppercase exactly when nibble i of keccak-256(lowercase hex) >= 8. */
export function isEip55Checksummed(value: string): boolean {
  const hex = value.slice(2);
  const lower = hex.toLowerCase();
  const hash = keccak256(new TextEncoder().encode(lower));
  for (let i = 0; i < 40; i++) {
    const ch = hex[i] as string;
    if (ch >= '0' && ch <= '9') continue;
    const nibble = ((hash[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    if (nibble >= 8 !== (ch !== (lower[i] as string))) return false;
  }
  return true;
}

/** Mixed case must carry the EIP-55 checksum; single case (no checksum) was matched after wallet wording. */
export function isEthereumAddress(value: string): boolean {
  const hex = value.slice(2);
  if (/^0+$/.test(hex)) return false; // the zero address burns, it belongs to no one
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  return isEip55Checksummed(value);
}

export function isBitcoinAddress(value: string): boolean {
  return value[0] === '1' || value[0] === '3' ? isBase58CheckAddress(value) : isSegwitAddress(value);
}

export const cryptoWalletRules: readonly Rule[] = [
  {
    id: 'bitcoin-address',
    category: 'pii',
    description: 'Bitcoin address: base58check P2PKH/P2SH (1..., 3...) or bech32/bech32m SegWit (bc1...).',
    // Every one has a 1 or a 3 within its first 3 characters. (Listed as all digits: that keyword group is
    // found for the other digit rules anyway, where a group of its own would cost a second position list.)
    keywords: DIGIT_KEYWORDS,
    // At a run starting with 1 or 3 after no word character, `/`, `+`, `=` or `-`; or at `bc1`, 2 before a run.
    digitRuns: [
      { matchStart: [0, 0], at: /[13]/, notBefore: /[\w/+=-]/ },
      { matchStart: [-2, -2], at: /[bB]/, before: /[cC]/ },
    ],
    pattern:
      /(?<![\w/+=-])(?:[13][1-9A-HJ-NP-Za-km-z]{25,33}|bc1[02-9ac-hj-np-z]{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})(?![\w/+=-])/,
    validate: isBitcoinAddress,
    truePositives: [
      'send to 1GUfAaMLeNZpYA7sGeeV2FTmosyurp9ypo please',
      'P2SH 31uXgTasC3iSB9uo6KWuxNj7FG6ct2CVUC',
      'segwit bc1q8jnrnpqz6aj8h9kkyvg3ej6mnqmv4wxn8tg5l9',
      'P2WSH BC1QW7R9DJLMQ8DGT5QWWJJGWRA8J2HF2J7KQJ3GRH6FNHTL6WKDWWWQRU2MQ7',
      'taproot: bc1pu6d3hvadrcsd676g4t39xq8ck290tptd5aqs7ejj55y5pewvk2sqk5n8u8',
    ],
    falsePositives: [
      'send to 1GUfAaMLeNZpYA7sGeeV2FTmosyurp9ypp please', // checksum fails
      'id 31uXgTasC3iSB9uo6KWuxNj7FG6ct2CVUD',
      'segwit bc1q8jnrnpqz6aj8h9kkyvg3ej6mnqmv4wxn8tg5l8',
      'v0 checksummed as bech32m bc1qu6d3hvadrcsd676g4t39xq8ck290tptd5aqs7ejj55y5pewvk2sqk5n8u8',
      'mixed case bc1Q8jnrnpqz6aj8h9kkyvg3ej6mnqmv4wxn8tg5l9',
      'hash 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
      'path /assets/1GUfAaMLeNZpYA7sGeeV2FTmosyurp9ypo.png',
    ],
  },
  {
    id: 'ethereum-address',
    category: 'pii',
    description:
      'Ethereum address (0x + 40 hex): EIP-55 checksum when mixed case; single case only after wallet wording.',
    keywords: ['0x'],
    matchStart: [0, 0],
    // Mixed case (both an upper and a lower hex letter ahead), or single case after "wallet", "eth",
    // "address"... within a few words (the lookbehind runs only where 0x + 40 hex matched).
    pattern:
      /0[xX](?<![\w]0[xX])(?:(?=[0-9a-f]{0,39}[A-F])(?=[0-9A-F]{0,39}[a-f])[0-9A-Fa-f]{40}|(?:[0-9a-f]{40}|[0-9A-F]{40})(?<=(?:\b[Ww]allet|WALLET|\b[Ee]th(?:ereum)?|\bETH(?:EREUM)?|\b[Aa]ddr(?:ess)?|\bADDR(?:ESS)?|\b[Ss]end|\b[Pp]ay)\b[^\n]{0,32}0[xX][0-9A-Fa-f]{40}))(?![0-9A-Za-z_])/,
    validate: isEthereumAddress,
    truePositives: [
      'to 0x6335B75898eE0575840c135Ad6c96Acbc1d5F1FD',
      '{"recipient":"0xF6f7d19E4e88AaCD82b1536bC376142C50660F36"}',
      'my ETH wallet: 0x343c320945d91ad4fc376cc80a2062fb35a75c93',
      'payout address 0X57375753ED71640190C1A16E19586811FF4ABB34',
    ],
    falsePositives: [
      'to 0x6335b75898eE0575840c135Ad6c96Acbc1d5F1FD', // checksum case wrong
      'sha1 0x2fd4e1c67a2d28fced849ee1bb76e7391b93eb12', // single case, no wallet wording
      'wallet tx 0x343c320945d91ad4fc376cc80a2062fb35a75c93a1b2', // longer than an address
      'wallet 0x0000000000000000000000000000000000000000',
    ],
  },
];
