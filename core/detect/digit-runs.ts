/**
 * Digit-run anchors: where the rules keyed on digits (cards, phones, IP addresses, national ids...) may start
 * a match, found in one pass over the text shared by all of them.
 *
 * Why not keywords: a digit keyword reports at every digit, and on text full of numbers (logs, CSV, stack
 * traces) the windows around those hits cover most of the text, so each such rule ran its regex over the
 * whole text. But these rules care about the run a digit belongs to, not the digit: a card starts at the first
 * digit of a run of at least four, after no word character; an IPv4 address at a run of one to three digits
 * followed by `.`; a UK NINO two or three characters before a run of two or six digits. A rule declares that
 * as `digitRuns` (see `DigitRunAnchor` in ./types.ts), and the pass proposes only the positions that fit.
 *
 * The pass: a loop over the UTF-16 code units finds each maximal run of ASCII digits; per run, three table
 * lookups (run length, the character before, the character after) give the bit mask of the anchors the run
 * satisfies, 32 anchors a word. For each such anchor the positions of its `matchStart` window whose character
 * fits its `at` class are added to the rule's list (ascending, without duplicates). Non-ASCII characters pass
 * every class: the check is a necessary condition, so passing more is always safe.
 *
 * Cost: linear. A run costs O(1) plus the positions it adds; a rule's list is capped at the scan's `limit`
 * (past it the engine runs the rule's regex over the whole text, which is cheaper), and a rule past its cap
 * drops out of the masks, so it costs nothing more for the rest of the pass. An insertion out of order moves
 * back at most the width of the rule's widest window (offsets are bounded, ±4096, in practice under 16).
 *
 * Pure and synchronous; scratch lives in the index and is reused between scans.
 */
import type { DigitRunAnchor } from './types.js';

/** Table index of the start (before) or end (after) of the text. */
const EDGE = 128;
/** Table index of any non-ASCII code unit: every anchor accepts it. */
const OTHER = 129;
const CODES = 130;
/** Run lengths 0..LONG; LONG stands for LONG digits and more. */
const LONG = 64;
const INITIAL_CAPACITY = 64;
/**
 * Looking at a window position (one byte or `charCodeAt`, one table load) costs about this fraction of a
 * sticky regex attempt: past this many positions per allowed attempt, one global run is cheaper.
 */
const VISITS_PER_ATTEMPT = 8;
/** UTF-16 code units encoded per `encodeInto` call. */
const CHUNK = 4096;
/** Scratch shared by every index (a scan is synchronous): a chunk's UTF-8 bytes. */
const BYTES = new Uint8Array(3 * CHUNK);
/** 1 at the ASCII digits' byte values. */
const DIGIT = new Uint8Array(256).fill(0, 0).fill(1, 48, 58);
const encoder = new TextEncoder();

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export interface DigitRunIndex {
  /**
   * Finds the candidate match starts of every rule in `text`. Afterwards `counts[r]` is the number of
   * positions of rule `r` (0: none, so no match), or `limit + 1` when there were more than `limit`;
   * `starts(r)` holds them, ascending, when there were at most `limit`. Returns the number of rules with
   * at least one position.
   */
  scan(text: string, limit: number): number;
  readonly counts: Int32Array;
  starts(rule: number): Int32Array;
}

/** Removes `g` and `y`, so that `test` keeps no `lastIndex` between calls. */
function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

/**
 * Builds the index for rules `0 .. anchorsByRule.length - 1`, each with its (non-empty) list of anchors,
 * already checked by the engine's `assertRule`.
 */
export function buildDigitRunIndex(anchorsByRule: readonly (readonly DigitRunAnchor[])[]): DigitRunIndex {
  const anchors: DigitRunAnchor[] = [];
  const ruleOf: number[] = [];
  anchorsByRule.forEach((list, rule) => {
    for (const a of list) {
      anchors.push(a);
      ruleOf.push(rule);
    }
  });
  const count = anchors.length;
  const words = Math.max(1, Math.ceil(count / 32));
  const beforeMask = new Int32Array(words * CODES);
  const afterMask = new Int32Array(words * CODES);
  const lengthMask = new Int32Array(words * (LONG + 1));
  /** Per rule and word, the bits of its anchors (cleared from `live` once the rule is past the limit). */
  const ruleMask = new Int32Array(anchorsByRule.length * words);
  const anchorRule = Int32Array.from(ruleOf);
  const anchorMin = new Int32Array(count);
  const anchorMax = new Int32Array(count);
  const anchorFromEnd = new Uint8Array(count);
  /** Per anchor, the last position its windows reached in this scan: runs come in order, so do its windows. */
  const anchorDone = new Int32Array(count);
  /** Per anchor, 1 where a match may start at that code (`at`), CODES entries each. */
  const atTable = new Uint8Array(count * CODES);
  const set = (table: Int32Array, i: number, bit: number): void => {
    table[i] = (table[i] as number) | bit;
  };
  const fits = (re: RegExp | undefined, code: number, otherwise: boolean): boolean =>
    re === undefined ? otherwise : stateless(re).test(String.fromCharCode(code));

  anchors.forEach((a, k) => {
    const w = k >> 5;
    const bit = 1 << (k & 31);
    for (let code = 0; code < 128; code++) {
      if (fits(a.before, code, true) && !fits(a.notBefore, code, false)) set(beforeMask, w * CODES + code, bit);
      if (fits(a.after, code, true) && !fits(a.notAfter, code, false)) set(afterMask, w * CODES + code, bit);
      if (fits(a.at, code, true)) atTable[k * CODES + code] = 1;
    }
    // At the edge of the text there is no character: a required one is missing, a forbidden one absent.
    if (a.before === undefined) set(beforeMask, w * CODES + EDGE, bit);
    if (a.after === undefined) set(afterMask, w * CODES + EDGE, bit);
    set(beforeMask, w * CODES + OTHER, bit);
    set(afterMask, w * CODES + OTHER, bit);
    atTable[k * CODES + OTHER] = 1;
    const [lo, hi] = a.length ?? [1, Infinity];
    for (let n = 1; n <= LONG; n++) {
      if (n >= lo && (n <= hi || (n === LONG && hi >= LONG))) set(lengthMask, w * (LONG + 1) + n, bit);
    }
    anchorMin[k] = a.matchStart[0];
    anchorMax[k] = a.matchStart[1];
    anchorFromEnd[k] = a.fromEnd === true ? 1 : 0;
    set(ruleMask, (ruleOf[k] as number) * words + w, bit);
  });

  const rules = anchorsByRule.length;
  const counts = new Int32Array(rules);
  const startsByRule: Int32Array[] = Array.from({ length: rules }, () => new Int32Array(INITIAL_CAPACITY));
  /** Per rule, the positions its anchors proposed so far (with repeats across anchors). */
  const proposed = new Int32Array(rules);
  /** Per rule, the window positions its anchors looked at so far. */
  const visited = new Int32Array(rules);
  /** Per anchor, its positions in this scan, ascending (its windows come in order and never overlap). */
  const anchorStarts: Int32Array[] = Array.from({ length: count }, () => new Int32Array(INITIAL_CAPACITY));
  const anchorCount = new Int32Array(count);
  const anchorsOf: number[][] = Array.from({ length: rules }, () => []);
  ruleOf.forEach((r, k) => (anchorsOf[r] as number[]).push(k));
  const heads = new Int32Array(count);
  const live = new Int32Array(words);
  let limit = 0;

  /**
   * Adds the positions of anchor `k`'s window around the run `[s, e)` whose character fits `at`, reading the
   * characters from BYTES (which hold the text from `base`, `bytes` of them, ASCII) where the window is in
   * them.
   */
  function window(k: number, s: number, e: number, text: string, base: number, bytes: number): void {
    const r = anchorRule[k] as number;
    if ((proposed[r] as number) > limit) return; // past the limit through another of its anchors, this run
    const from = anchorFromEnd[k] === 1 ? e : s;
    const lo = Math.max(0, from + (anchorMin[k] as number), (anchorDone[k] as number) + 1);
    const hi = Math.min(text.length - 1, from + (anchorMax[k] as number));
    if (hi < lo) return;
    anchorDone[k] = hi;
    let n = anchorCount[k] as number;
    let buf = anchorStarts[k] as Int32Array;
    if (n + hi - lo + 1 > buf.length) {
      const grown = new Int32Array(Math.max(2 * buf.length, n + hi - lo + 1));
      grown.set(buf.subarray(0, n));
      buf = anchorStarts[k] = grown;
    }
    const at = k * CODES;
    if (lo >= base && hi < base + bytes) {
      const chunk = BYTES;
      for (let p = lo; p <= hi; p++) {
        buf[n] = p;
        n += atTable[at + (chunk[p - base] as number)] as number;
      }
    } else {
      for (let p = lo; p <= hi; p++) {
        const c = text.charCodeAt(p);
        buf[n] = p;
        n += atTable[at + (c < 128 ? c : OTHER)] as number;
      }
    }
    const total = (proposed[r] as number) + n - (anchorCount[k] as number);
    anchorCount[k] = n;
    proposed[r] = total;
    // A visited position costs a fraction of an attempt: past VISITS_PER_ATTEMPT * limit of them, too.
    const seen = (visited[r] as number) + hi - lo + 1;
    visited[r] = seen;
    if (total > limit || seen > VISITS_PER_ATTEMPT * limit) {
      proposed[r] = limit + 1;
      for (let w = 0; w < words; w++) live[w] = (live[w] as number) & ~(ruleMask[r * words + w] as number);
    }
  }

  /** Rule `r`'s starts: its anchors' lists merged, ascending and distinct. Returns how many. */
  function merge(r: number): number {
    const own = anchorsOf[r] as number[];
    if (own.length === 1) {
      const k = own[0] as number;
      // One anchor: its list is the rule's (swapped, so that each keeps a buffer).
      const buf = anchorStarts[k] as Int32Array;
      anchorStarts[k] = startsByRule[r] as Int32Array;
      startsByRule[r] = buf;
      return anchorCount[k] as number;
    }
    let out = startsByRule[r] as Int32Array;
    if (out.length < (proposed[r] as number)) out = startsByRule[r] = new Int32Array(proposed[r] as number);
    for (const k of own) heads[k] = 0;
    let n = 0;
    for (;;) {
      let best = -1;
      let min = 0;
      for (const k of own) {
        const h = heads[k] as number;
        if (h >= (anchorCount[k] as number)) continue;
        const v = (anchorStarts[k] as Int32Array)[h] as number;
        if (best < 0 || v < min) {
          best = k;
          min = v;
        }
      }
      if (best < 0) return n;
      heads[best] = (heads[best] as number) + 1;
      if (n === 0 || (out[n - 1] as number) !== min) out[n++] = min;
    }
  }

  /**
   * Proposes the run `[s, e)` to every live anchor it satisfies; returns the live bits left (0: all done).
   * BYTES hold `bytes` characters of the text from `base` (0 of them when the chunk is not ASCII).
   */
  function run(text: string, s: number, e: number, base: number, bytes: number): number {
    const bc = s > 0 ? text.charCodeAt(s - 1) : -1;
    const ac = e < text.length ? text.charCodeAt(e) : -1;
    const b = bc < 0 ? EDGE : bc < 128 ? bc : OTHER;
    const a = ac < 0 ? EDGE : ac < 128 ? ac : OTHER;
    const length = e - s;
    const l = length < LONG ? length : LONG;
    let any = 0;
    for (let w = 0; w < words; w++) {
      let m =
        (beforeMask[w * CODES + b] as number) &
        (afterMask[w * CODES + a] as number) &
        (lengthMask[w * (LONG + 1) + l] as number) &
        (live[w] as number);
      while (m !== 0) {
        const bit = m & -m;
        m ^= bit;
        window((w << 5) + 31 - Math.clz32(bit), s, e, text, base, bytes);
      }
      any |= live[w] as number;
    }
    return any;
  }

  return {
    scan(text: string, max: number): number {
      counts.fill(0);
      proposed.fill(0);
      visited.fill(0);
      anchorCount.fill(0);
      anchorDone.fill(-1);
      limit = max;
      let any = 0;
      for (let w = 0; w < words; w++) {
        live[w] = w === words - 1 && count % 32 !== 0 ? (1 << count % 32) - 1 : -1;
        any |= live[w] as number;
      }
      if (count === 0) return 0;
      const n = text.length;
      // Chunks of CHUNK units: an ASCII chunk is walked as bytes (UTF-8 = the units, and a byte load is
      // cheaper than `charCodeAt`), any other by units. `i` is where the walk resumes, past a run that ran on
      // beyond its chunk.
      let i = 0;
      for (let base = 0; base < n && any !== 0; base += CHUNK) {
        const end = Math.min(n, base + CHUNK);
        if (i >= end) continue;
        const written = encoder.encodeInto(end - base === n ? text : text.slice(base, end), BYTES).written;
        if (written === end - base) {
          const bytes = BYTES;
          for (let j = i - base; j < written; j++) {
            if (DIGIT[bytes[j] as number] === 0) continue;
            const s = j;
            for (j++; j < written && DIGIT[bytes[j] as number] === 1; j++);
            let e = base + j;
            if (j === written) while (e < n && isDigit(text.charCodeAt(e))) e++;
            any = run(text, base + s, e, base, written);
            if (any === 0 || e >= end) {
              i = e;
              break;
            }
          }
          if (i < end) i = end;
        } else {
          while (i < end) {
            if (!isDigit(text.charCodeAt(i))) {
              i++;
              continue;
            }
            const s = i;
            for (i++; i < n && isDigit(text.charCodeAt(i)); i++);
            any = run(text, s, i, base, 0);
            if (any === 0) break;
          }
        }
      }
      let found = 0;
      for (let r = 0; r < rules; r++) {
        const total = proposed[r] as number;
        if (total === 0) continue;
        found++;
        counts[r] = total > limit ? limit + 1 : merge(r);
      }
      return found;
    },
    counts,
    starts(rule: number): Int32Array {
      return startsByRule[rule] as Int32Array;
    },
  };
}
