import { describe, expect, it } from 'vitest';
import { GlobList, compileGlob } from '../../core/policy/index.js';

describe('policy globs', () => {
  it.each([
    ['gpt-4o', 'gpt-4o', true],
    ['gpt-4o', 'gpt-4o-mini', false],
    ['gpt-4o*', 'gpt-4o-mini', true],
    ['gpt-4o*', 'gpt-4', false],
    ['*-preview', 'o1-preview', true],
    ['*-preview', 'o1-preview-2', false],
    ['*mini*', 'gpt-4o-mini-2024', true],
    ['*mini*', 'gpt-4o', false],
    ['claude-?-*', 'claude-3-opus', true],
    ['claude-?-*', 'claude-35-opus', false],
    ['*', 'anything', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['GPT-4O*', 'gpt-4o-mini', true],
  ])('%s against %s: %s', (glob, value, expected) => {
    expect(compileGlob(glob).matches(value)).toBe(expected);
  });

  it('stays fast on a pattern built to backtrack', () => {
    const glob = compileGlob(`${'*a'.repeat(100)}b`);
    const value = 'a'.repeat(256);
    const t = performance.now();
    expect(glob.matches(value)).toBe(false);
    expect(performance.now() - t).toBeLessThan(50);
  });

  it('names the glob that matched, exact names first', () => {
    const list = new GlobList(['gpt-*', 'GPT-4o']);
    expect(list.match('gpt-4o')).toBe('GPT-4o');
    expect(list.match('gpt-5')).toBe('gpt-*');
    expect(list.match('o3')).toBeUndefined();
  });
});
