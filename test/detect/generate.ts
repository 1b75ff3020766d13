/**
 * Deterministic generated texts for the detector's table tests: rule examples cut, glued, mutated and set in
 * filler, with keywords in random case, digits, separators and non-ASCII text (accents, emoji, lone
 * surrogates) around them. Synthetic only.
 */
import type { Rule } from '../../core/detect/index.js';

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
export function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

const SEPARATORS = [
  ' ',
  '\n',
  '',
  '=',
  ': ',
  '"',
  "'",
  '/',
  '@',
  '-',
  '_',
  '.',
  ':',
  '://',
  '+',
  '(',
  ')',
  ',',
];
const NOISE = [
  'é',
  'naïve café',
  '😀',
  '👍🏽',
  '\ud800', // lone high surrogate
  '\udc00', // lone low surrogate
  'İ',
  'ſ',
  '\u2028',
  '\u00a0',
  '0',
  '7',
  '42',
  '2024-05-17',
  'x',
  'Q',
  '\t',
];
const FILLER = 'The deployment log shows the worker restarted after the health check timed out. ';

/** Flips the case of some ASCII letters (keywords are found case-insensitively; most patterns are not). */
function recase(text: string, pick: (n: number) => number): string {
  let out = '';
  for (const ch of text) {
    out += pick(4) === 0 ? (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()) : ch;
  }
  return out;
}

/** A fragment near the rules: an example, cut or whole, a keyword, or noise. */
function fragment(rules: readonly Rule[], pick: (n: number) => number): string {
  const rule = rules[pick(rules.length)] as Rule;
  const examples = [...rule.truePositives, ...rule.falsePositives];
  const kind = pick(10);
  if (kind < 5 && examples.length > 0) {
    const e = examples[pick(examples.length)] as string;
    // Whole most of the time; otherwise cut at either end.
    if (kind < 3) return e;
    const from = pick(Math.min(e.length, 12));
    return e.slice(from, e.length - pick(Math.min(e.length - from, 6)));
  }
  if (kind < 7) {
    const k = rule.keywords[pick(rule.keywords.length)] as string;
    return pick(2) === 0 ? k : recase(k, pick);
  }
  if (kind < 8 && examples.length > 0) return recase(examples[pick(examples.length)] as string, pick);
  return NOISE[pick(NOISE.length)] as string;
}

/**
 * A text of fragments near `rules`. `sparse`: the fragments are few and set far apart in keyword-free filler
 * (the windowed path); otherwise they are packed together (windows merge, or the global fallback runs).
 * `size` is the filler's length.
 */
export function generatedText(rules: readonly Rule[], seed: number, size: number, sparse: boolean): string {
  const pick = rng(seed);
  const parts: string[] = [];
  const count = 1 + pick(sparse ? 4 : 12);
  for (let i = 0; i < count; i++) {
    let f = fragment(rules, pick);
    if (pick(3) === 0) f += SEPARATORS[pick(SEPARATORS.length)] as string;
    if (pick(4) === 0) f = (SEPARATORS[pick(SEPARATORS.length)] as string) + f;
    if (pick(5) === 0) f = f + fragment(rules, pick); // two keywords close together: windows merge
    parts.push(f);
  }
  if (!sparse) return parts.join(SEPARATORS[pick(SEPARATORS.length)] as string);
  // Sparse: filler without keywords, and the fragments at random places, the first often at the very start
  // and the last often at the very end.
  const filler = FILLER.repeat(Math.ceil(size / FILLER.length)).slice(0, size);
  const cuts = parts.map(() => pick(filler.length + 1)).sort((a, b) => a - b);
  if (pick(3) === 0) cuts[0] = 0;
  if (pick(3) === 0) cuts[cuts.length - 1] = filler.length;
  let out = '';
  let at = 0;
  parts.forEach((p, i) => {
    const cut = cuts[i] as number;
    out += filler.slice(at, cut) + p;
    at = cut;
  });
  return out + filler.slice(at);
}

/**
 * Mutations of a rule's examples for property checks: glued to each other, with characters deleted,
 * duplicated, or inserted (keywords in any case, separators, digits, non-ASCII).
 */
export function mutatedExamples(rule: Rule, seed: number, count: number): string[] {
  const pick = rng(seed);
  const examples = [...rule.truePositives, ...rule.falsePositives];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let t = examples[pick(examples.length)] as string;
    if (pick(3) === 0) t += SEPARATORS[pick(SEPARATORS.length)] + (examples[pick(examples.length)] as string);
    const edits = 1 + pick(4);
    for (let e = 0; e < edits; e++) {
      const at = pick(t.length + 1);
      const op = pick(4);
      if (op === 0) t = t.slice(0, at) + t.slice(at + 1 + pick(4));
      else if (op === 1) t = t.slice(0, at) + t.slice(at, at + 1 + pick(8)) + t.slice(at);
      else if (op === 2) t = t.slice(0, at) + fragment([rule], pick) + t.slice(at);
      else t = t.slice(0, at) + (SEPARATORS[pick(SEPARATORS.length)] as string) + t.slice(at);
    }
    out.push(t);
  }
  return out;
}

/** Every start index of an occurrence of one of `keywords`, ASCII letters folded as the engine folds them. */
export function keywordStarts(text: string, keywords: readonly string[]): Set<number> {
  const folded = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const starts = new Set<number>();
  for (const k of keywords) {
    for (let i = folded.indexOf(k); i !== -1; i = folded.indexOf(k, i + 1)) starts.add(i);
  }
  return starts;
}
