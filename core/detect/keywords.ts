/**
 * Keyword prefilter: one Aho-Corasick automaton over every keyword group, walked once per scan.
 *
 * Why hand-written: the npm Aho-Corasick packages are either unmaintained (`aho-corasick`, `ahocorasick`,
 * last releases years ago), allocate a result object per match, or lowercase/copy the input first; on this
 * hot path (every string of every request body) we want zero per-character allocation. The automaton is small
 * (a few hundred states), built once per detector, and compiled into a dense DFA whose entries are row offsets
 * (`table[row + class]`, negated when the target state reports a keyword), where `class` maps each UTF-16
 * code unit to a compact alphabet of the characters that occur in keywords, with ASCII case folded. Any other
 * character sends the automaton back to the root, which is exact because no keyword contains it. Lowercasing
 * happens in the class table, so the text is never copied.
 *
 * A scan reports, per group, whether one of its keywords occurred and, for groups that ask for it, where:
 * the start index of every occurrence, ascending and without duplicates, in a typed array reused between
 * scans. The engine turns those positions into the windows where a rule's regex can match.
 */

/** ASCII characters only: keywords are lowercase ASCII literals (checked by the engine's option parser). */
const ASCII = 128;
const INITIAL_CAPACITY = 64;

export interface KeywordMatcher {
  /**
   * Walks `text` once. Afterwards `count(g)` is the number of occurrences of group `g`'s keywords (for a
   * group without positions: 1 when one occurred, else 0) and `starts(g)` holds their start indices.
   * Returns how many groups occurred.
   */
  scan(text: string): number;
  count(group: number): number;
  /** Start indices of group `group`'s keyword occurrences, ascending, distinct; valid up to `count(group)`. */
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
  // Alphabet: class 0 is "no keyword has this character"; ASCII letters are folded to lowercase.
  const classOf = new Uint8Array(ASCII);
  let width = 1;
  for (const keywords of keywordsByGroup) {
    for (const keyword of keywords) {
      for (let i = 0; i < keyword.length; i++) {
        const c = keyword.charCodeAt(i);
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

  // Runtime tables. States are addressed by row offset (state * width) so the loop does no multiply; an
  // entry is stored negated when the target state reports keywords, so the common case costs one compare.
  const table = new Int32Array(states * width);
  for (let s = 0; s < states; s++) {
    for (let k = 0; k < width; k++) {
      const next = delta[s * width + k] as number;
      table[s * width + k] = (outputs[next] as Map<string, unknown>).size > 0 ? -(next * width) : next * width;
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
  // Every UTF-16 code unit maps to a class: one load, no branch. Non-ASCII is class 0 (back to the root).
  const classOfUnit = new Uint8Array(65536);
  classOfUnit.set(classOf);

  const groups = keywordsByGroup.length;
  const positional = Uint8Array.from(withPositions, (p) => (p ? 1 : 0));
  const anyPositional = positional.includes(1);
  const counts = new Int32Array(groups);
  const startsByGroup: Int32Array[] = Array.from(
    { length: groups },
    (_, g) => new Int32Array(positional[g] === 1 ? INITIAL_CAPACITY : 0),
  );

  /** Appends `start` to group `g`'s positions, keeping them ascending and distinct. */
  function record(g: number, start: number): void {
    const n = counts[g] as number;
    let buf = startsByGroup[g] as Int32Array;
    if (n > 0 && start <= (buf[n - 1] as number)) {
      // Only when one keyword of the group ends inside another (`ab` in `xaby` after `xab`): rare and
      // bounded by the keyword length, so a short insertion.
      let j = n - 1;
      while (j >= 0 && (buf[j] as number) > start) j--;
      if (j >= 0 && buf[j] === start) return;
      if (n === buf.length) buf = grow(g);
      buf.copyWithin(j + 2, j + 1, n);
      buf[j + 1] = start;
    } else {
      if (n === buf.length) buf = grow(g);
      buf[n] = start;
    }
    counts[g] = n + 1;
  }

  function grow(g: number): Int32Array {
    const old = startsByGroup[g] as Int32Array;
    const next = new Int32Array(old.length * 2);
    next.set(old);
    startsByGroup[g] = next;
    return next;
  }

  return {
    scan(text: string): number {
      counts.fill(0);
      let found = 0;
      let row = 0;
      const n = text.length;
      for (let i = 0; i < n; i++) {
        row = table[row + (classOfUnit[text.charCodeAt(i)] as number)] as number;
        if (row < 0) {
          row = -row;
          const state = (row / width) | 0;
          const to = outStart[state + 1] as number;
          for (let j = outStart[state] as number; j < to; j++) {
            const g = outGroup[j] as number;
            if (counts[g] === 0) found++;
            if (positional[g] === 1) record(g, i + 1 - (outLength[j] as number));
            else if (counts[g] === 0) {
              counts[g] = 1;
              if (!anyPositional && found === groups) return found;
            }
          }
        }
      }
      return found;
    },
    count(group: number): number {
      return counts[group] as number;
    },
    starts(group: number): Int32Array {
      return startsByGroup[group] as Int32Array;
    },
  };
}
