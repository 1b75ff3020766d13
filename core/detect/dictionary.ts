/**
 * Organisation dictionaries (project code names, customer names, internal hosts): every term found in one
 * pass, case-insensitively, on word boundaries, however many terms (Aho-Corasick). Hand-written because
 * the npm automata either lack positions, fold case by re-lowercasing the text (which can change string
 * indices), or allocate per match; this one folds per UTF-16 unit so offsets stay JS string indices.
 */

/** Case folding per UTF-16 code unit; a unit whose lowercase is not one unit stays as it is. */
const FOLDED = new Map<number, number>();
function fold(unit: number): number {
  if (unit < 128) return unit >= 65 && unit <= 90 ? unit + 32 : unit;
  let folded = FOLDED.get(unit);
  if (folded === undefined) {
    const lower = String.fromCharCode(unit).toLowerCase();
    folded = lower.length === 1 ? lower.charCodeAt(0) : unit;
    FOLDED.set(unit, folded);
  }
  return folded;
}

const WORD_UNIT = /[\p{L}\p{N}_]/u;
function isWordUnit(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const unit = text.charCodeAt(index);
  if (unit < 128) {
    return (
      (unit >= 48 && unit <= 57) || (unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122) || unit === 95
    );
  }
  return WORD_UNIT.test(text[index]!);
}

export interface DictionaryMatch {
  readonly start: number;
  readonly end: number;
}

export interface DictionaryMatcher {
  readonly size: number;
  /** Every term occurrence on word boundaries (overlaps included; the engine resolves them). */
  scan(text: string, out: DictionaryMatch[]): void;
}

/** Transition key: node and folded unit in one number (nodes < 2^37 fits a double exactly). */
const key = (node: number, unit: number): number => node * 65536 + unit;

export function buildDictionaryMatcher(terms: readonly string[]): DictionaryMatcher {
  const next = new Map<number, number>();
  const rootNext = new Int32Array(65536).fill(-1);
  const termLength: number[] = [-1];
  let nodes = 1;
  let size = 0;
  for (const raw of terms) {
    const term = raw.trim();
    if (term === '') continue;
    let node = 0;
    for (let i = 0; i < term.length; i++) {
      const unit = fold(term.charCodeAt(i));
      const existing = node === 0 ? rootNext[unit]! : (next.get(key(node, unit)) ?? -1);
      if (existing >= 0) {
        node = existing;
        continue;
      }
      const created = nodes++;
      termLength.push(-1);
      if (node === 0) rootNext[unit] = created;
      else next.set(key(node, unit), created);
      node = created;
    }
    if (termLength[node] === -1) size++;
    termLength[node] = term.length;
  }

  // Failure links and output links, breadth first. Children are found from the transition map.
  const children: number[][] = Array.from({ length: nodes }, () => []);
  const childUnit: number[] = new Array<number>(nodes).fill(0);
  for (let unit = 0; unit < 65536; unit++) {
    const child = rootNext[unit]!;
    if (child >= 0) {
      children[0]!.push(child);
      childUnit[child] = unit;
    }
  }
  for (const [k, child] of next) {
    children[Math.floor(k / 65536)]!.push(child);
    childUnit[child] = k % 65536;
  }
  const failure = new Int32Array(nodes);
  const output = new Int32Array(nodes).fill(-1); // nearest proper suffix node that ends a term
  const queue: number[] = [...children[0]!];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const child of children[node]!) {
      const unit = childUnit[child]!;
      let f = failure[node]!;
      let target = -1;
      for (;;) {
        target = f === 0 ? rootNext[unit]! : (next.get(key(f, unit)) ?? -1);
        if (target >= 0 || f === 0) break;
        f = failure[f]!;
      }
      failure[child] = target >= 0 && target !== child ? target : 0;
      const fc = failure[child]!;
      output[child] = termLength[fc]! > 0 ? fc : output[fc]!;
      queue.push(child);
    }
  }

  return {
    size,
    scan(text, out) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const unit = fold(text.charCodeAt(i));
        for (;;) {
          const target = state === 0 ? rootNext[unit]! : (next.get(key(state, unit)) ?? -1);
          if (target >= 0) {
            state = target;
            break;
          }
          if (state === 0) break;
          state = failure[state]!;
        }
        if (state === 0) continue;
        const end = i + 1;
        if (isWordUnit(text, end)) continue;
        for (let n = termLength[state]! > 0 ? state : output[state]!; n > 0; n = output[n]!) {
          const start = end - termLength[n]!;
          if (!isWordUnit(text, start - 1)) out.push({ start, end });
        }
      }
    },
  };
}
