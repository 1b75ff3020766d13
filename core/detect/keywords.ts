/**
 * Keyword prefilter: one Aho-Corasick automaton over every keyword group, walked once per scan.
 *
 * Why hand-written: the npm Aho-Corasick packages are either unmaintained (`aho-corasick`, `ahocorasick`,
 * last releases years ago), allocate a result object per match, or lowercase/copy the input first; on this
 * hot path (every string of every request body) we want no per-character allocation. The automaton is small
 * (a few hundred states), built once per detector, and compiled into a dense DFA whose entries are row offsets
 * (`table[row + class]`, negated when the target state reports a keyword), where `class` maps each byte to a
 * compact alphabet of the characters that occur in keywords, with ASCII case folded. Any other byte sends the
 * automaton back to the root, which is exact because no keyword contains it.
 *
 * The walk runs over UTF-8 bytes, not UTF-16 code units: `TextEncoder.encodeInto` copies a chunk of the text
 * into a scratch buffer (native, about as fast as memcpy for ASCII), and a byte load is much cheaper than
 * `charCodeAt`. Keywords are ASCII, so they occur in the bytes exactly where they occur in the text; every
 * byte of a non-ASCII character is >= 0x80 and sends the automaton to the root, as the character would. A
 * hit's byte offset is its UTF-16 index when the chunk is ASCII (bytes written = characters read); otherwise
 * the offsets are converted by one walk over the chunk's bytes.
 *
 * A DFA step waits for the previous one (the next row depends on the current), so one walk is bound by load
 * latency. Two walks interleaved, over the two halves of a chunk, overlap those waits and take about half the
 * time. The second walk starts `maxKeywordLength - 1` bytes before its half, from the root, without
 * reporting: Aho-Corasick's state is the longest suffix of the input read that is a keyword prefix, which can
 * be no longer than a keyword, so from its half on it is in the state a single walk would be in.
 *
 * A scan reports, per group, whether one of its keywords occurred and, for groups that ask for it, where:
 * the UTF-16 start index of every occurrence, ascending and without duplicates, in a typed array reused
 * between scans. The engine turns those positions into the windows where a rule's regex can match.
 */

/** ASCII characters only: keywords are lowercase ASCII literals (checked by the engine's option parser). */
const ASCII = 128;
/** UTF-16 code units encoded per `encodeInto` call: bounds the scratch buffer (3 bytes per unit at most). */
export const CHUNK = 4096;
/** Below this many bytes a chunk is walked once, not as two halves. */
const TWO_WALKS_FROM = 256;
const INITIAL_CAPACITY = 64;
/**
 * Below this many characters one walk reads `charCodeAt` directly: the bytes would be walked once anyway
 * (below TWO_WALKS_FROM), and the copy's fixed cost, ~50 ns an `encodeInto` call, eats what cheaper loads
 * save. Most strings in a request body are this short (JSON keys, model names, short messages).
 */
const SHORT = TWO_WALKS_FROM;

/**
 * Scratch shared by every matcher (a scan is synchronous, and done with it before the engine runs any
 * regex or callback): a chunk's UTF-8 bytes, and per walk a log of (byte offset, row) pairs, one for each
 * step that reached a reporting state, with room for a report at every byte. Allocated once, so the walk
 * loops read constant arrays and nothing in them can move.
 */
const BYTES = new Uint8Array(3 * CHUNK);
const FIRST = new Int32Array(2 * BYTES.length);
const SECOND = new Int32Array(BYTES.length + 2);
/** Entries written in FIRST and SECOND by the last walk. */
const LOGGED = new Int32Array(2);

function doubled(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/**
 * Walks `BYTES[0 .. n)` from `row`, as one walk or as two interleaved walks over the halves (see the file
 * comment), logging the reporting steps in FIRST and SECOND. Returns the row after the last byte.
 */
function walk(table: Int32Array, classOf: Uint8Array, n: number, row: number, maxLength: number): number {
  const bytes = BYTES;
  const a = FIRST;
  const b = SECOND;
  let r1 = row;
  let k1 = 0;
  let k2 = 0;
  const mid = n >> 1;
  if (n < TWO_WALKS_FROM || mid < maxLength) {
    for (let i = 0; i < n; i++) {
      r1 = table[r1 + (classOf[bytes[i] as number] as number)] as number;
      if (r1 < 0) {
        r1 = -r1;
        a[k1++] = i;
        a[k1++] = r1;
      }
    }
    LOGGED[0] = k1;
    LOGGED[1] = 0;
    return r1;
  }
  // The second walk: from the root, `maxLength - 1` bytes before its half, reporting nothing until there.
  let r2 = 0;
  for (let j = mid - maxLength + 1; j < mid; j++) {
    r2 = table[r2 + (classOf[bytes[j] as number] as number)] as number;
    if (r2 < 0) r2 = -r2;
  }
  for (let i = 0, j = mid; i < mid; i++, j++) {
    r1 = table[r1 + (classOf[bytes[i] as number] as number)] as number;
    r2 = table[r2 + (classOf[bytes[j] as number] as number)] as number;
    if ((r1 | r2) < 0) {
      if (r1 < 0) {
        r1 = -r1;
        a[k1++] = i;
        a[k1++] = r1;
      }
      if (r2 < 0) {
        r2 = -r2;
        b[k2++] = j;
        b[k2++] = r2;
      }
    }
  }
  if ((n & 1) === 1) {
    r2 = table[r2 + (classOf[bytes[n - 1] as number] as number)] as number;
    if (r2 < 0) {
      r2 = -r2;
      b[k2++] = n - 1;
      b[k2++] = r2;
    }
  }
  LOGGED[0] = k1;
  LOGGED[1] = k2;
  return r2;
}

/** One walk over the UTF-16 code units of a short `text`, logging (index, row) pairs in FIRST. */
function walkUnits(table: Int32Array, classOf: Uint8Array, text: string): void {
  const a = FIRST;
  const n = text.length;
  let row = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    row = table[row + (c < ASCII ? (classOf[c] as number) : 0)] as number;
    if (row < 0) {
      row = -row;
      a[k++] = i;
      a[k++] = row;
    }
  }
  LOGGED[0] = k;
}

export interface KeywordMatcher {
  /**
   * Walks `text` once. Afterwards `counts[g]` is the number of occurrences of group `g`'s keywords (for a
   * group without positions: 1 when one occurred, else 0) and `starts(g)` holds their start indices, as long
   * as there are at most `limit` of them: beyond that only the count goes on (the caller has no use for
   * that many positions). Returns how many groups occurred.
   */
  scan(text: string, limit?: number): number;
  /** Per group, the last scan's count (read-only for the caller). */
  readonly counts: Int32Array;
  /**
   * Start indices of group `group`'s keyword occurrences, ascending, distinct; valid up to `counts[group]`
   * when that is at most the scan's `limit`.
   */
  starts(group: number): Int32Array;
}

/**
 * Builds the automaton. `keywordsByGroup[g]` lists the keywords of group `g` (lowercase ASCII, non-empty);
 * `withPositions[g]` says whether the scan records where they occur or only that they do.
 */
export function buildKeywordMatcher(
  keywordsByGroup: readonly (readonly string[])[],
  withPositions: readonly boolean[],
): KeywordMatcher {
  // Alphabet: class 0 is "no keyword has this byte"; ASCII letters are folded to lowercase.
  const classOf = new Uint8Array(256);
  let width = 1;
  let maxLength = 1;
  for (const keywords of keywordsByGroup) {
    for (const keyword of keywords) {
      maxLength = Math.max(maxLength, keyword.length);
      for (let i = 0; i < keyword.length; i++) {
        const c = keyword.charCodeAt(i);
        if (c >= ASCII) throw new RangeError(`keyword ${JSON.stringify(keyword)} is not ASCII`);
        if (classOf[c] === 0) {
          classOf[c] = width;
          if (c >= 97 && c <= 122) classOf[c - 32] = width;
          width++;
        }
      }
    }
  }

  // Trie: goto edges in a growable plain array; outputs as `group:length` keys (a keyword listed twice, or
  // by two groups, is one output per group).
  const edges: number[][] = [new Array<number>(width).fill(-1)];
  const outputs: Map<string, [group: number, length: number]>[] = [new Map()];
  keywordsByGroup.forEach((keywords, group) => {
    for (const keyword of keywords) {
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const k = classOf[keyword.charCodeAt(i)] as number;
        const row = edges[state] as number[];
        let next = row[k] as number;
        if (next === -1) {
          next = edges.length;
          row[k] = next;
          edges.push(new Array<number>(width).fill(-1));
          outputs.push(new Map());
        }
        state = next;
      }
      (outputs[state] as Map<string, [number, number]>).set(`${group}:${keyword.length}`, [
        group,
        keyword.length,
      ]);
    }
  });

  // Breadth-first: failure links, merged outputs and the full DFA transition table.
  const states = edges.length;
  const delta = new Int32Array(states * width);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  const root = edges[0] as number[];
  for (let k = 0; k < width; k++) {
    const next = root[k] as number;
    if (next === -1 || k === 0) {
      delta[k] = 0;
    } else {
      delta[k] = next;
      fail[next] = 0;
      queue.push(next);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    const row = edges[state] as number[];
    const out = outputs[state] as Map<string, [number, number]>;
    for (const [key, value] of outputs[fail[state] as number] as Map<string, [number, number]>) {
      out.set(key, value);
    }
    for (let k = 0; k < width; k++) {
      const next = row[k] as number;
      const viaFail = delta[(fail[state] as number) * width + k] as number;
      if (next === -1 || k === 0) {
        delta[state * width + k] = viaFail;
      } else {
        delta[state * width + k] = next;
        fail[next] = viaFail;
        queue.push(next);
      }
    }
  }

  // Runtime tables. States are addressed by row offset (state * width) so the walk does no multiply; an
  // entry is stored negated when the target state reports keywords, so the common case costs one compare.
  const table = new Int32Array(states * width);
  for (let s = 0; s < states; s++) {
    for (let k = 0; k < width; k++) {
      const next = delta[s * width + k] as number;
      const reports = (outputs[next] as Map<string, unknown>).size > 0;
      table[s * width + k] = reports ? -(next * width) : next * width;
    }
  }
  // Outputs of state s: outGroup/outLength[outStart[s] .. outStart[s + 1]).
  const outStart = new Int32Array(states + 1);
  const flatGroup: number[] = [];
  const flatLength: number[] = [];
  for (let s = 0; s < states; s++) {
    outStart[s] = flatGroup.length;
    for (const [group, length] of (outputs[s] as Map<string, [number, number]>).values()) {
      flatGroup.push(group);
      flatLength.push(length);
    }
  }
  outStart[states] = flatGroup.length;
  const outGroup = Int32Array.from(flatGroup);
  const outLength = Int32Array.from(flatLength);

  const groups = keywordsByGroup.length;
  const positional = Uint8Array.from(withPositions, (p) => (p ? 1 : 0));
  const anyPositional = positional.includes(1);
  const counts = new Int32Array(groups);
  const startsByGroup: Int32Array[] = Array.from(
    { length: groups },
    (_, g) => new Int32Array(positional[g] === 1 ? INITIAL_CAPACITY : 0),
  );
  /** The groups hit by the current scan, in order of first hit: their counts are reset by the next scan. */
  const hitGroups = new Int32Array(groups);
  let found = 0;
  let positionLimit = 0;

  const encoder = new TextEncoder();

  // Byte offset -> UTF-16 index inside a chunk with non-ASCII characters: a cursor moved forward only.
  let cursorByte = 0;
  let cursorUnit = 0;
  function unitAt(byte: number): number {
    let u = cursorUnit;
    for (let i = cursorByte; i < byte; i++) {
      const v = BYTES[i] as number;
      // ASCII and lead bytes start a character; a 4-byte sequence is a surrogate pair (lone surrogates
      // are encoded as U+FFFD, 3 bytes, one unit).
      if (v < 0x80 || v >= 0xc0) u += v >= 0xf0 ? 2 : 1;
    }
    cursorByte = byte;
    cursorUnit = u;
    return u;
  }

  /** Records the logged hits of one walk: `base` is the chunk's UTF-16 index; `ascii` whether bytes = units. */
  function flush(log: Int32Array, logged: number, base: number, ascii: boolean): void {
    for (let k = 0; k < logged; k += 2) {
      const at = log[k] as number;
      const end = base + (ascii ? at : unitAt(at)) + 1; // exclusive end of the keyword occurrence
      const state = ((log[k + 1] as number) / width) | 0;
      const to = outStart[state + 1] as number;
      for (let j = outStart[state] as number; j < to; j++) {
        const g = outGroup[j] as number;
        if (counts[g] === 0) hitGroups[found++] = g;
        if (positional[g] === 1) record(g, end - (outLength[j] as number));
        else counts[g] = 1;
      }
    }
  }

  /** Appends `start` to group `g`'s positions, ascending and distinct, up to the scan's limit. */
  function record(g: number, start: number): void {
    const n = counts[g] as number;
    if (n >= positionLimit) {
      counts[g] = n + 1;
      return;
    }
    let buf = startsByGroup[g] as Int32Array;
    if (n === buf.length) buf = startsByGroup[g] = doubled(buf);
    if (n === 0 || start > (buf[n - 1] as number)) {
      buf[n] = start;
    } else {
      // Only when a keyword ends inside a longer one of the same group (`ab` in `xaby`, after `xab`): rare,
      // and at most a keyword's length back.
      let j = n - 1;
      while (j >= 0 && (buf[j] as number) > start) j--;
      if (j >= 0 && buf[j] === start) return;
      buf.copyWithin(j + 2, j + 1, n);
      buf[j + 1] = start;
    }
    counts[g] = n + 1;
  }

  return {
    scan(text: string, limit = Infinity): number {
      for (let i = 0; i < found; i++) counts[hitGroups[i] as number] = 0;
      found = 0;
      positionLimit = limit;
      if (text.length < SHORT) {
        walkUnits(table, classOf, text);
        flush(FIRST, LOGGED[0] as number, 0, true);
        return found;
      }
      let row = 0;
      for (let base = 0; base < text.length; base += CHUNK) {
        const units = Math.min(CHUNK, text.length - base);
        const chunk = units === text.length ? text : text.slice(base, base + units);
        const n = encoder.encodeInto(chunk, BYTES).written;
        row = walk(table, classOf, n, row, maxLength);
        const ascii = n === units;
        cursorByte = 0;
        cursorUnit = 0;
        flush(FIRST, LOGGED[0] as number, base, ascii);
        flush(SECOND, LOGGED[1] as number, base, ascii);
        if (!anyPositional && found === groups) break;
      }
      return found;
    },
    counts,
    starts(group: number): Int32Array {
      return startsByGroup[group] as Int32Array;
    },
  };
}
