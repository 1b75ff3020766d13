/**
 * Keyword prefilter: one Aho-Corasick automaton over every rule's keywords, walked once per scan.
 *
 * Why hand-written: the npm Aho-Corasick packages are either unmaintained (`aho-corasick`, `ahocorasick`,
 * last releases years ago), allocate a result object per match, or lowercase/copy the input first; on this
 * hot path (every string of every request body) we want zero per-character allocation and an early exit.
 * The automaton is small (a few hundred states), built once per detector, and compiled into a dense DFA whose
 * entries are row offsets (`table[row + class]`, negated when the target state reports a keyword), where
 * `class` maps each UTF-16 code unit to a compact alphabet of the characters that occur in keywords, with
 * ASCII case folded. Any other character sends the automaton back to the root, which is exact because no
 * keyword contains it. Lowercasing happens in the class table, so the text is never copied. A state's
 * outputs are handled once per scan, and the walk stops early once every rule has been marked.
 */

/** ASCII characters only: keywords are lowercase ASCII literals (checked by the engine's option parser). */
const ASCII = 128;

export interface KeywordMatcher {
  /**
   * Marks in `hits` (by setting `hits[i] = generation`) every pattern index `i` one of whose keywords occurs
   * in `text`. Returns how many distinct indices were marked.
   */
  mark(text: string, hits: Uint32Array, generation: number): number;
  /** Forgets every generation (called when the caller's generation counter wraps). */
  reset(): void;
}

/**
 * Builds the automaton. `keywordsByIndex[i]` lists the keywords of pattern `i` (lowercase ASCII, non-empty).
 */
export function buildKeywordMatcher(keywordsByIndex: readonly (readonly string[])[]): KeywordMatcher {
  // Alphabet: class 0 is "no keyword has this character"; ASCII letters are folded to lowercase.
  const classOf = new Uint8Array(ASCII);
  let width = 1;
  for (const keywords of keywordsByIndex) {
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

  // Trie: goto edges in a growable plain array, outputs as sets of pattern indices.
  const edges: number[][] = [new Array<number>(width).fill(-1)];
  const outputs: Set<number>[] = [new Set()];
  keywordsByIndex.forEach((keywords, index) => {
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
          outputs.push(new Set());
        }
        state = next;
      }
      (outputs[state] as Set<number>).add(index);
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
    const out = outputs[state] as Set<number>;
    for (const i of outputs[fail[state] as number] as Set<number>) out.add(i);
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
  const hasOutput = (s: number): boolean => (outputs[s] as Set<number>).size > 0;
  for (let s = 0; s < states; s++) {
    for (let k = 0; k < width; k++) {
      const next = delta[s * width + k] as number;
      table[s * width + k] = hasOutput(next) ? -(next * width) : next * width;
    }
  }
  // Outputs by row offset / width: outList[outStart[s] .. outStart[s + 1]).
  const outStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let s = 0; s < states; s++) {
    outStart[s] = flat.length;
    for (const i of (outputs[s] as Set<number>).values()) flat.push(i);
  }
  outStart[states] = flat.length;
  const outList = Int32Array.from(flat);
  const total = keywordsByIndex.length;
  // A state's outputs are processed once per scan: `seen[s] === generation` skips repeats (digits, `-`...).
  const seen = new Uint32Array(states);
  // Every UTF-16 code unit maps to a class: one load, no branch. Non-ASCII is class 0 (back to the root).
  const classOfUnit = new Uint8Array(65536);
  classOfUnit.set(classOf);

  return {
    mark(text: string, hits: Uint32Array, generation: number): number {
      let found = 0;
      let row = 0;
      const n = text.length;
      for (let i = 0; i < n; i++) {
        row = table[row + (classOfUnit[text.charCodeAt(i)] as number)] as number;
        if (row < 0) {
          row = -row;
          const state = (row / width) | 0;
          if (seen[state] === generation) continue;
          seen[state] = generation;
          const to = outStart[state + 1] as number;
          for (let j = outStart[state] as number; j < to; j++) {
            const index = outList[j] as number;
            if (hits[index] !== generation) {
              hits[index] = generation;
              if (++found === total) return found;
            }
          }
        }
      }
      return found;
    },
    reset(): void {
      seen.fill(0);
    },
  };
}
