/**
 * Digit-run anchors: where the rules keyed on digits (cards, phones, IP addresses, national ids...) may start
 * a match, found in one pass over the text shared by all of them.
 *
 * Why not keywords: a digit keyword reports at every digit, and on text full of numbers (logs, CSV, stack
 * traces) the windows around those hits cover most of the text, so each such rule ran its regex over the
 * whole text. But these rules care about the run a digit belongs to, not the digit: a card starts at the first
 * digit of a run of at least four, after no word character; an IPv4 address at a run of one to three digits
 * followed by `.` and another run; a UK NINO two or three characters before a run of two or six digits. A rule
 * declares that as `digitRuns` (see `DigitRunAnchor` in ./types.ts), and the pass proposes only the positions
 * that fit.
 *
 * The pass, per chunk of the text: the maximal runs of ASCII digits are cut out without branching on the
 * data (over the chunk's bytes when it is ASCII, as the keyword pass does, else over its code units). Each run
 * is looked at once the next one is known; four table lookups (its length, the characters before and after
 * it, the distance to the next run) give the bit mask of the anchors it satisfies, 32 anchors a word. For each
 * such anchor, the positions of its `matchStart` window (cut to the stretch of its `through` class) whose
 * character fits its `at` class (and the one before them, `notPrecededBy`) are set in the rule's bitmap, so
 * that they come out ascending and distinct whatever order the anchors proposed them in. Non-ASCII characters
 * pass every condition: they are necessary conditions, so passing more is always safe.
 *
 * Cost: linear. A run costs O(1) plus its windows (each at most as wide as its anchor's `matchStart`, and an
 * anchor without `through` never looks at a position twice, as runs come in order); a rule drops out of the
 * pass once it has proposed more than the scan's `limit` positions, or looked at VISITS_PER_ATTEMPT times that
 * many: the engine then runs its regex over the whole text, which is cheaper. Reading a rule's positions costs
 * its bitmap's touched words (a 32nd of that span). Short texts (under SHORT characters) are read by units and
 * skipped when they hold no digit.
 *
 * Pure and synchronous; scratch lives in the index (and, for bytes, in this module) and is reused.
 */
import type { DigitRunAnchor } from './types.js';

/** Table index of the start (before) or end (after) of the text. */
const EDGE = 128;
/** Table index of any non-ASCII code unit: every class accepts it. */
const OTHER = 129;
const CODES = 130;
/** Run lengths 0..LONG; LONG stands for LONG digits and more. */
const LONG = 64;
/** Distances to the next run 1..FAR - 1; FAR stands for FAR and more, or no next run. */
const FAR = 17;
/**
 * Looking at a window position (a byte or `charCodeAt` and a table load) costs about this fraction of a
 * sticky regex attempt: past this many positions per allowed attempt, one global run is cheaper.
 */
const VISITS_PER_ATTEMPT = 4;
/** UTF-16 code units encoded per `encodeInto` call. */
const CHUNK = 4096;
/** Scratch shared by every index (a scan is synchronous): a chunk's UTF-8 bytes, its run starts and ends. */
const BYTES = new Uint8Array(3 * CHUNK);
const WORDS = new Uint32Array(BYTES.buffer);
/** The word tables below read byte j of a word at bits 8j..8j+7; elsewhere the chunk is read byte by byte. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const RUN_STARTS = new Int32Array(CHUNK + 2);
const RUN_ENDS = new Int32Array(CHUNK + 2);
/** 1 at the ASCII digits' byte values. */
const DIGIT = new Uint8Array(256).fill(1, 48, 58);
/**
 * For four bytes read as one little-endian word, indexed by `prev << 4 | digits` (bit j of `digits`: byte j
 * is a digit; `prev`: the byte before was one): how many runs start and end in them, and at which bytes.
 */
const QUAD_STARTS = new Uint8Array(32);
const QUAD_START_0 = new Uint8Array(32);
const QUAD_START_1 = new Uint8Array(32);
const QUAD_ENDS = new Uint8Array(32);
const QUAD_END_0 = new Uint8Array(32);
const QUAD_END_1 = new Uint8Array(32);
for (let i = 0; i < 32; i++) {
  let before = i >> 4;
  for (let j = 0; j < 4; j++) {
    const d = (i >> j) & 1;
    if (d === 1 && before === 0) {
      (QUAD_STARTS[i] === 0 ? QUAD_START_0 : QUAD_START_1)[i] = j;
      QUAD_STARTS[i] = (QUAD_STARTS[i] as number) + 1;
    }
    if (d === 0 && before === 1) {
      (QUAD_ENDS[i] === 0 ? QUAD_END_0 : QUAD_END_1)[i] = j;
      QUAD_ENDS[i] = (QUAD_ENDS[i] as number) + 1;
    }
    before = d;
  }
}
const encoder = new TextEncoder();
/** Below this many characters the text is read by `charCodeAt`, not copied to bytes first. */
const SHORT = 256;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export interface DigitRunIndex {
  /**
   * Finds the candidate match starts of every rule in `text`. Afterwards `counts[r]` is the number of
   * positions of rule `r` (0: none, so no match), or `limit + 1` when there were too many (more than
   * `limit`, or too many window positions looked at); `starts(r)` holds them, ascending and distinct, when
   * there were at most `limit`. Returns the number of rules with at least one position.
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
  const rules = anchorsByRule.length;
  const words = Math.max(1, Math.ceil(count / 32));
  const beforeMask = new Int32Array(words * CODES);
  const afterMask = new Int32Array(words * CODES);
  const lengthMask = new Int32Array(words * (LONG + 1));
  const gapMask = new Int32Array(words * (FAR + 1));
  /** By the run's first digit: an anchor whose window is that digit alone checks `at` there, with the rest. */
  const firstMask = new Int32Array(words * 10);
  /** Per rule and word, the bits of its anchors (cleared from `live` once the rule drops out). */
  const ruleMask = new Int32Array(rules * words);
  const anchorRule = Int32Array.from(ruleOf);
  const anchorMin = new Int32Array(count);
  const anchorMax = new Int32Array(count);
  const anchorFromEnd = new Uint8Array(count);
  const anchorThrough = new Uint8Array(count);
  const anchorPreceded = new Uint8Array(count);
  /** Per anchor, 1 where a match may start at that code (`at`), and 1 for codes of its `through` class. */
  const atTable = new Uint8Array(count * CODES);
  const throughTable = new Uint8Array(count * CODES);
  /** Per anchor, 1 where the character before the match start may be (`notPrecededBy`; EDGE: the text start). */
  const precededTable = new Uint8Array(count * CODES);
  const set = (table: Int32Array, i: number, bit: number): void => {
    table[i] = (table[i] as number) | bit;
  };
  const fits = (re: RegExp | undefined, code: number, otherwise: boolean): boolean =>
    re === undefined ? otherwise : stateless(re).test(String.fromCharCode(code));

  anchors.forEach((a, k) => {
    const w = k >> 5;
    const bit = 1 << (k & 31);
    for (let code = 0; code < 128; code++) {
      if (fits(a.before, code, true) && !fits(a.notBefore, code, false))
        set(beforeMask, w * CODES + code, bit);
      if (fits(a.after, code, true) && !fits(a.notAfter, code, false)) set(afterMask, w * CODES + code, bit);
      if (fits(a.at, code, true)) atTable[k * CODES + code] = 1;
      if (fits(a.through, code, true)) throughTable[k * CODES + code] = 1;
      if (!fits(a.notPrecededBy, code, false)) precededTable[k * CODES + code] = 1;
    }
    // At the edge of the text there is no character: a required one is missing, a forbidden one absent.
    if (a.before === undefined) set(beforeMask, w * CODES + EDGE, bit);
    if (a.after === undefined) set(afterMask, w * CODES + EDGE, bit);
    set(beforeMask, w * CODES + OTHER, bit);
    set(afterMask, w * CODES + OTHER, bit);
    atTable[k * CODES + OTHER] = 1;
    throughTable[k * CODES + OTHER] = 1;
    precededTable[k * CODES + OTHER] = 1;
    precededTable[k * CODES + EDGE] = 1;
    const [lo, hi] = a.length ?? [1, Infinity];
    for (let n = 1; n <= LONG; n++) {
      if (n >= lo && (n <= hi || (n === LONG && hi >= LONG))) set(lengthMask, w * (LONG + 1) + n, bit);
    }
    const within = a.nextRunWithin ?? Infinity;
    // FAR also stands for "no next run", which no finite bound allows; a bound of FAR or more lets it through.
    for (let g = 1; g <= FAR; g++)
      if (g < FAR ? g <= within : within >= FAR) set(gapMask, w * (FAR + 1) + g, bit);
    const onFirst = a.fromEnd !== true && a.matchStart[0] === 0 && a.matchStart[1] === 0;
    for (let d = 0; d < 10; d++) if (!onFirst || fits(a.at, 48 + d, true)) set(firstMask, w * 10 + d, bit);
    anchorMin[k] = a.matchStart[0];
    anchorMax[k] = a.matchStart[1];
    anchorFromEnd[k] = a.fromEnd === true ? 1 : 0;
    anchorThrough[k] = a.through === undefined ? 0 : 1;
    anchorPreceded[k] = a.notPrecededBy === undefined ? 0 : 1;
    set(ruleMask, (ruleOf[k] as number) * words + w, bit);
  });

  const counts = new Int32Array(rules);
  const startsByRule: Int32Array[] = Array.from({ length: rules }, () => new Int32Array(64));
  /** Per rule, the positions its anchors proposed (with repeats across anchors) and looked at. */
  const proposed = new Int32Array(rules);
  const visited = new Int32Array(rules);
  /** Per rule, a bit per text position; the words touched in this scan are `low[r] .. high[r]`. */
  const bitmaps: Int32Array[] = Array.from({ length: rules }, () => new Int32Array(0));
  const low = new Int32Array(rules);
  const high = new Int32Array(rules);
  /**
   * Per anchor without `through`, the last position its windows reached in this scan: runs come in order, so
   * do its windows, and whether a position fits does not depend on the run. (With `through` it does.)
   */
  const anchorDone = new Int32Array(count);
  const live = new Int32Array(words);
  let limit = 0;
  let any = 0;
  /** Rules with positions in the last scan (their counts are reset by the next). */
  let found = 0;
  // The current scan's text and chunk: BYTES hold `bytes` characters from `base` (0 when not ASCII).
  let text = '';
  let base = 0;
  let bytes = 0;

  function code(p: number): number {
    if (p >= base && p < base + bytes) return BYTES[p - base] as number;
    const c = text.charCodeAt(p);
    return c < 128 ? c : OTHER;
  }

  /**
   * Sets the positions of anchor `k`'s window around the run `[s, e)` in its rule's bitmap: those whose
   * character fits `at`, with only `through` characters between them and the run's edge.
   */
  function window(k: number, s: number, e: number): void {
    const r = anchorRule[k] as number;
    if ((proposed[r] as number) > limit) return; // dropped out through another of its anchors, this run
    const from = anchorFromEnd[k] === 1 ? e : s;
    let lo = Math.max(0, from + (anchorMin[k] as number), (anchorDone[k] as number) + 1);
    let hi = Math.min(text.length - 1, from + (anchorMax[k] as number));
    if (hi < lo) return;
    const t = k * CODES;
    if (anchorThrough[k] === 0) anchorDone[k] = hi;
    // Cut the window to the stretch of `through` characters around `from` (reading at most the window).
    else if (lo < from) {
      let j = from - 1;
      while (j > lo && throughTable[t + code(j)] === 1) j--;
      if (j > lo) lo = j;
    }
    if (anchorThrough[k] === 1 && hi > from) {
      let j = Math.max(from, lo);
      while (j < hi && throughTable[t + code(j)] === 1) j++;
      if (j < hi) hi = j;
    }
    const span = hi - lo + 1;
    const bitmap = bitmaps[r] as Int32Array;
    let n = 0;
    if (anchorPreceded[k] === 0) {
      for (let p = lo; p <= hi; p++) {
        const ok = atTable[t + code(p)] as number;
        bitmap[p >> 5] = (bitmap[p >> 5] as number) | (ok << (p & 31));
        n += ok;
      }
    } else {
      for (let p = lo; p <= hi; p++) {
        const ok =
          (atTable[t + code(p)] as number) & (precededTable[t + (p > 0 ? code(p - 1) : EDGE)] as number);
        bitmap[p >> 5] = (bitmap[p >> 5] as number) | (ok << (p & 31));
        n += ok;
      }
    }
    if (lo >> 5 < (low[r] as number)) low[r] = lo >> 5;
    if (hi >> 5 > (high[r] as number)) high[r] = hi >> 5;
    const total = (proposed[r] as number) + n;
    const seen = (visited[r] as number) + span;
    proposed[r] = total;
    visited[r] = seen;
    if (total > limit || seen > VISITS_PER_ATTEMPT * limit) {
      proposed[r] = limit + 1;
      for (let w = 0; w < words; w++) live[w] = (live[w] as number) & ~(ruleMask[r * words + w] as number);
    }
  }

  /** Proposes the run `[s, e)`, the next one starting at `next` (-1: none), to every live anchor it fits. */
  function run(s: number, e: number, next: number): void {
    const b = s > 0 ? code(s - 1) : EDGE;
    const a = e < text.length ? code(e) : EDGE;
    const length = e - s;
    const l = length < LONG ? length : LONG;
    const g = next < 0 || next - e >= FAR ? FAR : next - e;
    const f = code(s) - 48;
    any = 0;
    for (let w = 0; w < words; w++) {
      let m =
        (beforeMask[w * CODES + b] as number) &
        (afterMask[w * CODES + a] as number) &
        (lengthMask[w * (LONG + 1) + l] as number) &
        (gapMask[w * (FAR + 1) + g] as number) &
        (firstMask[w * 10 + f] as number) &
        (live[w] as number);
      while (m !== 0) {
        const bit = m & -m;
        m ^= bit;
        window((w << 5) + 31 - Math.clz32(bit), s, e);
      }
      any |= live[w] as number;
    }
  }

  /** Rule `r`'s positions, read from its bitmap (and cleared there). Returns how many. */
  function collect(r: number, keep: boolean): number {
    const bitmap = bitmaps[r] as Int32Array;
    let out = startsByRule[r] as Int32Array;
    if (keep && out.length < (proposed[r] as number))
      out = startsByRule[r] = new Int32Array(proposed[r] as number);
    let n = 0;
    const to = high[r] as number;
    for (let w = low[r] as number; w <= to; w++) {
      let bits = bitmap[w] as number;
      if (bits === 0) continue;
      bitmap[w] = 0;
      if (!keep) continue;
      while (bits !== 0) {
        const bit = bits & -bits;
        bits ^= bit;
        out[n++] = (w << 5) + 31 - Math.clz32(bit);
      }
    }
    return n;
  }

  return {
    scan(input: string, max: number): number {
      if (count === 0) return 0;
      const n = input.length;
      if (found > 0) counts.fill(0);
      found = 0;
      if (n < SHORT) {
        // Most strings in a request body are short: skip the pass when there is no digit, and when the limit
        // is 0 (any position is too many) say so for every rule at once.
        let i = 0;
        for (; i < n; i++) if (isDigit(input.charCodeAt(i))) break;
        if (i === n) return 0;
        if (max === 0) {
          counts.fill(1);
          found = rules;
          return found;
        }
      }
      text = input;
      limit = max;
      proposed.fill(0);
      visited.fill(0);
      low.fill(0x7fffffff);
      high.fill(-1);
      anchorDone.fill(-1);
      for (let r = 0; r < rules; r++) {
        if ((bitmaps[r] as Int32Array).length <= n >> 5) bitmaps[r] = new Int32Array((n >> 5) + 1);
      }
      for (let w = 0; w < words; w++)
        live[w] = w === words - 1 && count % 32 !== 0 ? (1 << (count % 32)) - 1 : -1;
      any = 1;
      // Runs are cut per chunk; a run is proposed once the next one's start is known (`pending`), and one
      // that reaches the end of a chunk stays open into the next.
      let open = -1;
      let pendingStart = -1;
      let pendingEnd = -1;
      for (let start = 0; start < n && any !== 0; start += CHUNK) {
        const units = Math.min(CHUNK, n - start);
        // A short text is read by units: an `encodeInto` call costs more than it saves there.
        const written =
          n < SHORT
            ? 0
            : encoder.encodeInto(units === n ? input : input.slice(start, start + units), BYTES).written;
        const ascii = written === units;
        let starts = 0;
        let ends = 0;
        let prev = open >= 0 ? 1 : 0;
        if (ascii) {
          // Four bytes at a time: which are digits (SWAR: a byte b < 0x80 is one when (b ^ 0x30) + 0x76 has
          // no high bit), then, from that and whether the byte before was one, a table gives the runs that
          // start and end in the word.
          const quads = LITTLE_ENDIAN ? units >> 2 : 0;
          for (let q = 0; q < quads; q++) {
            const x = (WORDS[q] as number) ^ 0x30303030;
            const d = (~(x + 0x76767676) >>> 7) & 0x01010101;
            const i = (prev << 4) | ((Math.imul(d, 0x01020408) >>> 24) & 15);
            if (i === 0 || i === 31) continue; // no digit, or all digits inside a run: nothing starts or ends
            const at = start + (q << 2);
            RUN_STARTS[starts] = at + (QUAD_START_0[i] as number);
            RUN_STARTS[starts + 1] = at + (QUAD_START_1[i] as number);
            starts += QUAD_STARTS[i] as number;
            RUN_ENDS[ends] = at + (QUAD_END_0[i] as number);
            RUN_ENDS[ends + 1] = at + (QUAD_END_1[i] as number);
            ends += QUAD_ENDS[i] as number;
            prev = (i >> 3) & 1;
          }
          const chunk = BYTES;
          for (let j = quads << 2; j < units; j++) {
            const d = DIGIT[chunk[j] as number] as number;
            RUN_STARTS[starts] = start + j;
            starts += d & (prev ^ 1);
            RUN_ENDS[ends] = start + j;
            ends += prev & (d ^ 1);
            prev = d;
          }
        } else {
          for (let j = 0; j < units; j++) {
            const c = input.charCodeAt(start + j);
            const d = c >= 48 && c <= 57 ? 1 : 0;
            RUN_STARTS[starts] = start + j;
            starts += d & (prev ^ 1);
            RUN_ENDS[ends] = start + j;
            ends += prev & (d ^ 1);
            prev = d;
          }
        }
        base = start;
        bytes = ascii ? units : 0;
        let s = 0;
        for (let k = 0; k < ends && any !== 0; k++) {
          const runStart = open >= 0 ? open : (RUN_STARTS[s++] as number);
          open = -1;
          if (pendingStart >= 0) run(pendingStart, pendingEnd, runStart);
          pendingStart = runStart;
          pendingEnd = RUN_ENDS[k] as number;
        }
        if (s < starts) open = RUN_STARTS[s] as number;
      }
      if (any !== 0) {
        if (open >= 0) {
          if (pendingStart >= 0) run(pendingStart, pendingEnd, open);
          pendingStart = open;
          pendingEnd = n;
        }
        if (pendingStart >= 0 && any !== 0) run(pendingStart, pendingEnd, -1);
      }
      text = '';
      for (let r = 0; r < rules; r++) {
        const total = proposed[r] as number;
        if (total === 0) continue;
        found++;
        const over = total > limit;
        const kept = collect(r, !over);
        counts[r] = over ? limit + 1 : kept;
      }
      return found;
    },
    counts,
    starts(rule: number): Int32Array {
      return startsByRule[rule] as Int32Array;
    },
  };
}
