import { describe, expect, it } from 'vitest';
import { buildKeywordMatcher, CHUNK } from '../../core/detect/keywords.js';
import { keywordStarts, rng } from './generate.js';

const GROUPS = [
  ['akia', 'asia'],
  ['secret'],
  ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  ['@'],
  ['://'],
  ['abcd', 'bc', 'c'],
];

/** What the matcher must report: every occurrence's start, by a plain indexOf over the folded text. */
function expected(text: string, groups: readonly (readonly string[])[]): number[][] {
  return groups.map((keywords) => [...keywordStarts(text, keywords)].sort((a, b) => a - b));
}

function reported(text: string, groups: readonly (readonly string[])[], limit?: number): number[][] {
  const m = buildKeywordMatcher(
    groups,
    groups.map(() => true),
  );
  m.scan(text, limit);
  return groups.map((_, g) => Array.from(m.starts(g).subarray(0, m.counts[g])));
}

const PIECES = [
  'akia',
  'AKIA',
  'aSiA',
  'secret',
  'SECRET',
  '7',
  '42',
  '@',
  '://',
  'abcd',
  'bc',
  'x',
  ' ',
  'é',
  '😀',
  '\ud800',
  '\udc00',
  'İ',
  'ſ',
  'word ',
];

function randomText(seed: number, length: number): string {
  const pick = rng(seed);
  let out = '';
  while (out.length < length) out += PIECES[pick(PIECES.length)];
  return out;
}

describe('keyword matcher', () => {
  it('reports the start of every keyword occurrence, ASCII case folded, as indexOf finds them', () => {
    for (const text of [
      '',
      'AKIA',
      'xakiax',
      'ASIAKIA',
      'akiakia',
      'SeCrEt@://',
      '😀akia',
      'é://x',
      'abcd',
    ]) {
      expect(reported(text, GROUPS), JSON.stringify(text)).toEqual(expected(text, GROUPS));
    }
  });

  it('keeps UTF-16 offsets after non-ASCII characters, emoji and lone surrogates', () => {
    for (const text of [
      'naïve café akia',
      '😀👍🏽 secret',
      '\ud800akia\udc00secret',
      'İİİ akia',
      'ſecret secret',
    ]) {
      expect(reported(text, GROUPS), JSON.stringify(text)).toEqual(expected(text, GROUPS));
    }
  });

  it('finds keywords across chunk boundaries and the halves walked side by side, in ASCII and non-ASCII text', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const length = [10, 255, 256, 257, 1000, CHUNK - 3, CHUNK, CHUNK + 5, 3 * CHUNK + 17][
        seed % 9
      ] as number;
      const text = randomText(seed, length);
      expect(reported(text, GROUPS), `seed ${seed}`).toEqual(expected(text, GROUPS));
      const ascii = text.replace(/[\u0080-\uffff]/g, 'x');
      expect(reported(ascii, GROUPS), `ascii seed ${seed}`).toEqual(expected(ascii, GROUPS));
    }
    // A keyword placed across every boundary position around a chunk end and a half's start.
    for (const at of [CHUNK / 2 - 5, CHUNK - 5, CHUNK + CHUNK / 2 - 5]) {
      for (let shift = 0; shift < 8; shift++) {
        const text = 'y'.repeat(at + shift) + 'secret' + 'y'.repeat(CHUNK);
        expect(reported(text, GROUPS)[1], `${at}+${shift}`).toEqual([at + shift]);
        const wide =
          '😀'.repeat((at + shift) >> 1) + ((at + shift) & 1 ? 'é' : '') + 'secret' + 'é'.repeat(CHUNK);
        expect(reported(wide, GROUPS)[1], `wide ${at}+${shift}`).toEqual([at + shift]);
      }
    }
  });

  it('keeps positions ascending and distinct when one keyword of a group ends inside another', () => {
    // `bc` ends before `abcd` does but starts after it; `c` inside both.
    expect(reported('abcd abcd', GROUPS)[5]).toEqual([0, 1, 2, 5, 6, 7]);
  });

  it('stops recording positions past the limit but goes on counting', () => {
    const m = buildKeywordMatcher([['7']], [true]);
    m.scan('7 7 7 7 7', 3);
    expect(m.counts[0]).toBe(5);
    expect(Array.from(m.starts(0).subarray(0, 3))).toEqual([0, 2, 4]);
  });

  it('only marks a group that asks for no positions', () => {
    const m = buildKeywordMatcher([['akia'], ['7']], [false, true]);
    expect(m.scan('akia 7 akia 7')).toBe(2);
    expect(m.counts[0]).toBe(1);
    expect(m.counts[1]).toBe(2);
    expect(m.scan('nothing here')).toBe(0);
    expect(m.counts[1]).toBe(0);
  });
});
