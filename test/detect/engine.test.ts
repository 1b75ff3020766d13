import { describe, expect, it } from 'vitest';
import {
  builtinRules,
  createDetector,
  placeholderFor,
  redact,
  scanText,
  shannonEntropy,
  type Finding,
  type Rule,
} from '../../core/detect/index.js';
import { generatedText } from './generate.js';

const AWS_KEY = 'AKIA4X3YDICBBPBHM35X';

function rule(partial: Partial<Rule> & Pick<Rule, 'id' | 'pattern'>): Rule {
  return {
    category: 'secret',
    description: 'test rule',
    keywords: ['x'],
    truePositives: [],
    falsePositives: [],
    ...partial,
  };
}

describe('prefilter', () => {
  it('runs a rule only when one of its keywords occurs, in any case', () => {
    let calls = 0;
    const counting = rule({
      id: 'counting',
      keywords: ['needle'],
      pattern: /\d{3}/,
      validate: () => {
        calls++;
        return true;
      },
    });
    const d = createDetector({ rules: [counting] });
    expect(d.scan('123 456 no keyword here')).toEqual([]);
    expect(calls).toBe(0);
    expect(d.scan('NeEdLe 123').map((f) => f.rule)).toEqual(['counting']);
    expect(calls).toBe(1);
  });

  it('finds keywords that overlap or sit inside one another', () => {
    const a = rule({ id: 'a', keywords: ['abcd'], pattern: /A/ });
    const b = rule({ id: 'b', keywords: ['bc'], pattern: /B/ });
    const c = rule({ id: 'c', keywords: ['cde'], pattern: /C/ });
    const d = createDetector({ rules: [a, b, c] });
    expect(d.scan('xabcde A B C').map((f) => f.rule)).toEqual(['a', 'b', 'c']);
    expect(d.scan('xabcdx A B C').map((f) => f.rule)).toEqual(['a', 'b']);
  });

  it('gives the same findings when the same detector scans twice (regex state is reset)', () => {
    const d = createDetector();
    const text = `one ${AWS_KEY} two ${AWS_KEY}`;
    const first = d.scan(text);
    expect(first).toHaveLength(2);
    expect(d.scan(text)).toEqual(first);
    expect(d.scan(`short ${AWS_KEY}`)).toHaveLength(1);
  });
});

describe('value checks', () => {
  it('narrows to secretGroup and applies allowlist, minEntropy and validate to that value', () => {
    const r = rule({
      id: 'kv',
      keywords: ['key='],
      pattern: /key=(\w+)/,
      secretGroup: 1,
      allowlist: [/^example/],
      minEntropy: 2,
      validate: (v) => !v.includes('bad'),
    });
    const d = createDetector({ rules: [r] });
    const text = 'key=Zx81QwPl key=exampleZx8 key=aaaaaaa key=Qb7badXX';
    expect(d.scan(text)).toEqual([{ rule: 'kv', category: 'secret', start: 4, end: 12, action: 'redact' }]);
  });

  it('starts a finding at startGroup when the regex is anchored on a later literal', () => {
    const d = createDetector({ rules: builtinRules.filter((r) => r.id === 'email') });
    const text = 'write to jane.doe@acme-corp.com now';
    const [f] = d.scan(text);
    expect(text.slice(f!.start, f!.end)).toBe('jane.doe@acme-corp.com');
  });

  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBeCloseTo(2);
    expect(shannonEntropy('abéé')).toBeCloseTo(1.5);
    // UTF-16 code units: a, b and two surrogate pairs.
    expect(shannonEntropy('ab😀😀')).toBeCloseTo(1.918, 2);
  });
});

describe('overlap resolution', () => {
  const secret6 = rule({ id: 'secret-six', keywords: ['abcdef'], pattern: /abcdef/ });
  const pii8 = rule({ id: 'pii-eight', category: 'pii', keywords: ['cdefghij'], pattern: /cdefghij/ });
  const pii6 = rule({ id: 'pii-six', category: 'pii', keywords: ['abcdef'], pattern: /abcdef/ });
  const custom6 = rule({ id: 'custom-six', category: 'custom', keywords: ['abcdef'], pattern: /abcdef/ });
  const secret6b = rule({ id: 'secret-six-b', keywords: ['abcdef'], pattern: /abcdef/ });

  it('keeps the longer span', () => {
    const f = createDetector({ rules: [secret6, pii8] }).scan('xxabcdefghijxx');
    expect(f.map((x) => [x.rule, x.start, x.end])).toEqual([['pii-eight', 4, 12]]);
  });

  it('prefers secret over pii over custom on equal spans', () => {
    expect(createDetector({ rules: [custom6, pii6, secret6] }).scan('abcdef')[0]?.rule).toBe('secret-six');
    expect(createDetector({ rules: [custom6, pii6] }).scan('abcdef')[0]?.rule).toBe('pii-six');
  });

  it('prefers the rule listed first when span and category tie', () => {
    expect(createDetector({ rules: [secret6b, secret6] }).scan('abcdef')[0]?.rule).toBe('secret-six-b');
    expect(createDetector({ rules: [secret6, secret6b] }).scan('abcdef')[0]?.rule).toBe('secret-six');
  });

  it('returns non-overlapping findings sorted by start', () => {
    const d = createDetector();
    const text = `mail jane.doe@acme-corp.com then ${AWS_KEY} and ghp_wbm5wnyb3RtOiVeRvXg0OVtbCrLZHe5Vlasx`;
    const f = d.scan(text);
    expect(f.map((x) => x.rule)).toEqual(['email', 'aws-access-key-id', 'github-pat']);
    for (let i = 1; i < f.length; i++) expect(f[i]!.start).toBeGreaterThanOrEqual(f[i - 1]!.end);
  });

  it('resolves a long chain of overlapping candidates without losing any free span', () => {
    // Two rules whose matches interleave: [0,4) [4,8)... and [2,6) [6,10)...
    const even = rule({ id: 'even', keywords: ['ab'], pattern: /abab/ });
    const odd = rule({ id: 'odd', category: 'pii', keywords: ['ab'], pattern: /(?<=ab)abab/ });
    const text = 'ab'.repeat(1000);
    const f = createDetector({ rules: [even, odd] }).scan(text);
    expect(f.length).toBe(500);
    expect(f.every((x) => x.rule === 'even')).toBe(true);
  });
});

describe('actions', () => {
  const text = `key ${AWS_KEY} mail jane.doe@acme-corp.com`;

  it('redacts every category by default', () => {
    expect(
      createDetector()
        .scan(text)
        .map((f) => f.action),
    ).toEqual(['redact', 'redact']);
  });

  it('takes the category action, and the rule action over it', () => {
    const d = createDetector({
      categoryActions: { secret: 'block', pii: 'redact' },
      ruleActions: { email: 'block' },
    });
    expect(d.scan(text).map((f) => [f.rule, f.action])).toEqual([
      ['aws-access-key-id', 'block'],
      ['email', 'block'],
    ]);
  });

  it('drops allow findings, by category or by rule', () => {
    expect(
      createDetector({ categoryActions: { pii: 'allow' } })
        .scan(text)
        .map((f) => f.rule),
    ).toEqual(['aws-access-key-id']);
    expect(
      createDetector({ categoryActions: { pii: 'allow' }, ruleActions: { email: 'redact' } })
        .scan(text)
        .map((f) => f.rule),
    ).toEqual(['aws-access-key-id', 'email']);
    expect(
      createDetector({ ruleActions: { 'aws-access-key-id': 'allow' } })
        .scan(text)
        .map((f) => f.rule),
    ).toEqual(['email']);
  });
});

describe('offsets', () => {
  it('are JavaScript string indices, also after astral characters such as emoji', () => {
    const text = `😀👍🏽 naïve café — ${AWS_KEY} 🎉`;
    const [f] = createDetector().scan(text);
    expect(f).toBeDefined();
    expect(f!.start).toBe(text.indexOf(AWS_KEY));
    expect(text.slice(f!.start, f!.end)).toBe(AWS_KEY);
    expect(redact(text, [f!])).toBe(`😀👍🏽 naïve café — ${placeholderFor('aws-access-key-id')} 🎉`);
  });

  it('are not shifted by characters whose lowercase form is longer (İ)', () => {
    const text = `İİİ ${AWS_KEY}`;
    const [f] = createDetector().scan(text);
    expect(text.slice(f!.start, f!.end)).toBe(AWS_KEY);
  });
});

describe('redact and scanText', () => {
  it('replaces each finding with [REDACTED:<rule-id>]', () => {
    expect(placeholderFor('jwt')).toBe('[REDACTED:jwt]');
    const { findings, redacted } = scanText(`a ${AWS_KEY} b jane.doe@acme-corp.com c`);
    expect(findings).toHaveLength(2);
    expect(redacted).toBe('a [REDACTED:aws-access-key-id] b [REDACTED:email] c');
  });

  it('returns the text itself when there is nothing to replace', () => {
    const text = 'nothing to see';
    expect(scanText(text).redacted).toBe(text);
    expect(redact(text, [])).toBe(text);
  });

  it('sorts findings given out of order and skips overlapping or allow ones', () => {
    const f = (start: number, end: number, action: Finding['action'] = 'redact'): Finding => ({
      rule: 'r',
      category: 'custom',
      start,
      end,
      action,
    });
    expect(redact('0123456789', [f(6, 8), f(1, 3), f(2, 4), f(4, 5, 'allow')])).toBe(
      '0[REDACTED:r]345[REDACTED:r]89',
    );
  });

  it('uses the given detector', () => {
    const d = createDetector({ rules: builtinRules.filter((r) => r.category === 'pii') });
    expect(scanText(`${AWS_KEY} jane.doe@acme-corp.com`, d).redacted).toBe(`${AWS_KEY} [REDACTED:email]`);
  });
});

describe('options', () => {
  const ok = rule({ id: 'ok-rule', pattern: /x/ });
  const bad: [string, unknown][] = [
    ['an id that is not kebab-case', { rules: [{ ...ok, id: 'Bad_Id' }] }],
    ['a rule without keywords', { rules: [{ ...ok, keywords: [] }] }],
    ['an uppercase keyword', { rules: [{ ...ok, keywords: ['AKIA'] }] }],
    ['duplicate ids', { rules: [ok, ok] }],
    ['a pattern that is not a RegExp', { rules: [{ ...ok, pattern: 'x' }] }],
    ['an unknown action', { ruleActions: { 'ok-rule': 'drop' } }],
    ['an unknown category', { categoryActions: { secrets: 'redact' } }],
    ['digitRuns with letter keywords', { rules: [{ ...ok, digitRuns: [{ matchStart: [0, 0] }] }] }],
    [
      'both matchStart and digitRuns',
      { rules: [{ ...ok, keywords: ['1'], matchStart: [0, 0], digitRuns: [{ matchStart: [0, 0] }] }] },
    ],
    ['an empty digitRuns', { rules: [{ ...ok, keywords: ['1'], digitRuns: [] }] }],
    [
      'a digit-run length below 1',
      { rules: [{ ...ok, keywords: ['1'], digitRuns: [{ matchStart: [0, 0], length: [0, 3] }] }] },
    ],
    [
      'a digit-run class that is not a RegExp',
      { rules: [{ ...ok, keywords: ['1'], digitRuns: [{ matchStart: [0, 0], before: '+' }] }] },
    ],
    [
      'a nextRunWithin of 0',
      { rules: [{ ...ok, keywords: ['1'], digitRuns: [{ matchStart: [0, 0], nextRunWithin: 0 }] }] },
    ],
  ];
  it.each(bad)('rejects %s with a coded TypeError', (_name, options) => {
    let error: unknown;
    try {
      createDetector(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { code?: string }).code).toBe('LG_ARG_INVALID');
  });

  it('accepts an empty rule set and finds nothing', () => {
    expect(createDetector({ rules: [] }).scan(`x ${AWS_KEY}`)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Windows: a rule with `matchStart` runs its regex only at the positions around its keyword hits. Each test
// compares with the same rules minus `matchStart`, which run over the whole text: the findings must match.
// The texts are a few KB: on a text of a few dozen characters a single hit already costs more than one
// global run, so the engine runs globally there and windows are not exercised.

/** The same rules without `matchStart` or `digitRuns`: each regex runs over the whole text when a keyword occurs. */
function wholeText(rules: readonly Rule[]): Rule[] {
  return rules.map(({ matchStart: _unused, digitRuns: _runs, ...r }) => r);
}

function spans(findings: Finding[]): [string, number, number][] {
  return findings.map((f) => [f.rule, f.start, f.end]);
}

/** Scans `text` windowed and whole-text; expects the same findings, and returns them. */
function sameAsWholeText(rules: readonly Rule[], text: string): [string, number, number][] {
  const windowed = spans(createDetector({ rules }).scan(text));
  expect(windowed, JSON.stringify(text.length > 300 ? text.slice(0, 300) + '...' : text)).toEqual(
    spans(createDetector({ rules: wholeText(rules) }).scan(text)),
  );
  return windowed;
}

const FILLER = 'The deployment log shows the worker restarted after the health check timed out. '.repeat(60);
const byId = (...ids: string[]): Rule[] => builtinRules.filter((r) => ids.includes(r.id));

describe('windows around keyword hits', () => {
  it('finds an e-mail whose finding starts before its keyword (the local part before @)', () => {
    const email = byId('email');
    const at = `${FILLER}mail jane.doe@acme-corp.com now ${FILLER}`;
    const start = at.indexOf('jane');
    expect(sameAsWholeText(email, at)).toEqual([['email', start, start + 'jane.doe@acme-corp.com'.length]]);
    // A 64-character local part: the finding starts 64 characters before the keyword.
    const long = `${FILLER} ${'a'.repeat(64)}@acme-corp.com`;
    expect(sameAsWholeText(email, long)).toEqual([['email', FILLER.length + 1, long.length]]);
  });

  it('finds an IBAN, whose match starts two characters before its digit keyword, at the start of the text', () => {
    expect(sameAsWholeText(byId('iban'), `GB40WEST52601815908301 ${FILLER}`)).toEqual([['iban', 0, 22]]);
  });

  it('finds matches at the very start and the very end of the text', () => {
    const rules = byId('aws-access-key-id', 'email', 'iban', 'phone');
    expect(sameAsWholeText(rules, AWS_KEY)).toEqual([['aws-access-key-id', 0, 20]]);
    expect(sameAsWholeText(rules, `${AWS_KEY} ${FILLER}`)).toEqual([['aws-access-key-id', 0, 20]]);
    expect(sameAsWholeText(rules, `${FILLER}${AWS_KEY}`)).toEqual([
      ['aws-access-key-id', FILLER.length, FILLER.length + 20],
    ]);
    expect(sameAsWholeText(rules, `+44 7911 123456 ${FILLER}jane@acme-corp.com`)).toEqual([
      ['phone', 0, 15],
      ['email', 16 + FILLER.length, 16 + FILLER.length + 18],
    ]);
    // A window reaching before the start of the text is cut there.
    const before = rule({ id: 'before', keywords: ['key'], pattern: /x{0,3}key/, matchStart: [-3, 0] });
    expect(sameAsWholeText([before], `xkey ${FILLER}`)).toEqual([['before', 0, 4]]);
    expect(sameAsWholeText([before], `key ${FILLER}`)).toEqual([['before', 0, 3]]);
    expect(sameAsWholeText([before], 'xkey')).toEqual([['before', 0, 4]]);
  });

  it('tries every position from matchStart min to max around a hit, and no other', () => {
    const text = `${FILLER}xxxkey${FILLER}`;
    const at = FILLER.length;
    const wide = rule({ id: 'wide', keywords: ['key'], pattern: /x{1,3}key/, matchStart: [-3, 0] });
    expect(sameAsWholeText([wide], text)).toEqual([['wide', at, at + 6]]);
    // Declared one short: the engine trusts matchStart and first tries one character later.
    const short = rule({ id: 'short', keywords: ['key'], pattern: /x{1,3}key/, matchStart: [-2, 0] });
    expect(spans(createDetector({ rules: [short] }).scan(text))).toEqual([['short', at + 1, at + 6]]);
    // A match that starts after its keyword (the keyword in a lookbehind).
    const after = rule({ id: 'after', keywords: ['key='], pattern: /(?<=key=)\d+/, matchStart: [4, 4] });
    expect(sameAsWholeText([after], `${FILLER}key=123${FILLER}`)).toEqual([['after', at + 4, at + 7]]);
  });

  it('merges the windows of nearby hits and never starts a match inside the previous one', () => {
    // The filler has no `q`, `z` or `@`.
    const q = rule({ id: 'q-run', keywords: ['q'], pattern: /q[^ ]{0,6}/, matchStart: [-1, 1] });
    const text = `${FILLER}qxqxq qxq ${FILLER}`;
    const at = FILLER.length;
    expect(sameAsWholeText([q], text)).toEqual([
      ['q-run', at, at + 5],
      ['q-run', at + 6, at + 9],
    ]);
    // A match running past its window into the next hit's: the next window starts after the match, as a
    // global run resumes there. (Only the `q` is the finding, so a match inside would not overlap it.)
    const head = rule({
      id: 'q-head',
      keywords: ['q'],
      pattern: /(q)[^ ]{0,6}/,
      secretGroup: 1,
      matchStart: [0, 0],
    });
    expect(sameAsWholeText([head], `${FILLER}qxxxxxq ${FILLER}`)).toEqual([['q-head', at, at + 1]]);
    // Two e-mails sharing characters around one `@`-dense run.
    sameAsWholeText(byId('email'), `${FILLER}a@b.co@c.de jane@acme-corp.com@x.org${FILLER}`);
  });

  it('lets a lookbehind at a window start see the text before the window', () => {
    const lb = rule({ id: 'lb', keywords: ['key'], pattern: /(?<![a-z])key\d{2}/, matchStart: [0, 0] });
    const text = `${FILLER}xkey12 key34${FILLER}`;
    expect(sameAsWholeText([lb], text)).toEqual([['lb', FILLER.length + 7, FILLER.length + 12]]);
    // The e-mail rule looks up to 131 characters back for `scheme://user@`, far outside its window.
    expect(sameAsWholeText(byId('email'), `${FILLER}https://jane.doe@acme-corp.com/x`)).toEqual([]);
    expect(sameAsWholeText(byId('aws-access-key-id'), `${FILLER}x${AWS_KEY}`)).toEqual([]);
  });

  it('lets a lookahead see the text after the window', () => {
    expect(sameAsWholeText(byId('aws-access-key-id'), `${FILLER}${AWS_KEY}Q`)).toEqual([]);
    expect(sameAsWholeText(byId('aws-access-key-id'), `${FILLER}${AWS_KEY}-`)).toHaveLength(1);
  });

  it('skips positions inside a surrogate pair for a u-flag rule, as a global run does', () => {
    const u = rule({ id: 'astral', keywords: ['z'], pattern: /.z/u, matchStart: [-2, -1] });
    expect(sameAsWholeText([u], `${FILLER}😀z`)).toEqual([['astral', FILLER.length, FILLER.length + 3]]);
    expect(sameAsWholeText([u], `😀z${FILLER}`)).toEqual([['astral', 0, 3]]);
    expect(sameAsWholeText([u], `az${FILLER}`)).toEqual([['astral', 0, 2]]);
    sameAsWholeText([u], `${FILLER}\udc00z \ud800z 😀😀z ${FILLER}`);
  });

  it('runs near hits while they are few, and over the whole text once they cover much of it', () => {
    // Declared too narrow on purpose (the match starts one before the keyword): only a global run finds it.
    const narrow = rule({ id: 'narrow', keywords: ['z'], pattern: /az/, matchStart: [0, 0] });
    const d = createDetector({ rules: [narrow] });
    expect(d.scan(`${FILLER}az${FILLER}`)).toEqual([]);
    const dense = 'az '.repeat(200);
    expect(d.scan(dense)).toHaveLength(200);
  });

  it('gives the same findings as whole-text runs on generated texts, rule by rule and all together', () => {
    const sizes = [0, 50, 2000, 4090, 9000];
    let seed = 1;
    for (const r of builtinRules) {
      for (let i = 0; i < 12; i++, seed++) {
        sameAsWholeText([r], generatedText([r], seed, sizes[seed % sizes.length] as number, seed % 3 !== 0));
      }
    }
    for (let i = 0; i < 120; i++, seed++) {
      const text = generatedText(builtinRules, seed, sizes[seed % sizes.length] as number, seed % 3 !== 0);
      sameAsWholeText(builtinRules, text);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Digit runs: a rule with `digitRuns` runs its regex only where its anchors allow, around the runs of digits
// found by one pass. As for windows, each test compares with the same rule over the whole text.

const DIGITS = '0123456789'.split('');

describe('digit-run anchors', () => {
  it('tries only the positions an anchor allows, reading the run, the characters around it and the next run', () => {
    // A 3-3 group after no word character: the anchor allows the first digit of a run of exactly 3, before `-`
    // and a run right after. Declared narrower than the pattern on purpose, to see what is tried.
    const group = rule({
      id: 'group',
      keywords: DIGITS,
      pattern: /\d{3}-\d{3}/,
      digitRuns: [{ matchStart: [0, 0], length: [3, 3], notBefore: /\w/, after: /-/, nextRunWithin: 1 }],
    });
    const d = createDetector({ rules: [group] });
    const at = (text: string) => d.scan(`${FILLER}${text}${FILLER}`).map((f) => f.start - FILLER.length);
    expect(at('id 123-456 ok')).toEqual([3]);
    expect(at('id x123-456 ok')).toEqual([]); // a word character before the run
    expect(at('id 1234-567 ok')).toEqual([]); // the run is 4 long (a global run finds 234-567)
    expect(at('id 123- 456 ok')).toEqual([]); // the next run is 2 characters away
    expect(at('id 123:456 ok')).toEqual([]);
  });

  it('takes windows before the run, from its end, cut at the first character out of `through`', () => {
    const before = rule({
      id: 'before',
      keywords: DIGITS,
      pattern: /[a-z]{1,4}\d+/,
      digitRuns: [{ matchStart: [-4, -1], through: /[a-z]/ }],
    });
    expect(sameAsWholeText([before], `${FILLER}key abcd12 ab-3 z9`)).toHaveLength(2);
    // The window reaches 4 back but stops at `-`: `a-b` is not tried from `a`.
    const d = createDetector({ rules: [before] });
    expect(d.scan(`${FILLER}a-b3`).map((f) => f.start)).toEqual([FILLER.length + 2]);
    const end = rule({
      id: 'end',
      keywords: DIGITS,
      pattern: /\d#/,
      digitRuns: [{ matchStart: [-1, -1], fromEnd: true, after: /#/ }],
    });
    expect(sameAsWholeText([end], `${FILLER}12# 3# 45 6#`)).toHaveLength(3);
  });

  it('finds matches at the very start and the very end of the text', () => {
    const rules = byId('credit-card', 'iban', 'phone', 'ip-address', 'mac-address', 'uk-nino');
    const edges = [
      '4539 1488 0343 6467',
      'GB40WEST52601815908301',
      '+44 7911 123456',
      '8.8.4.4',
      '3c:7d:0a:91:e4:52',
    ];
    for (const v of edges) {
      expect(sameAsWholeText(rules, `${v} ${FILLER}`).length, v).toBe(1);
      expect(sameAsWholeText(rules, `${FILLER} ${v}`).length, v).toBe(1);
    }
  });

  it('runs over the whole text once the allowed positions are many, with the same findings', () => {
    const rules = byId('credit-card', 'us-ssn', 'phone', 'ip-address', 'mac-address', 'iban', 'uk-nhs');
    const dense = '10.0.3.21 415-555-0132 536-90-4417 2024-05-17T10:30:00.123Z 4539 1488 0343 6467 '.repeat(
      300,
    );
    const sparse = `${FILLER}${dense.slice(0, 200)}${FILLER}`;
    expect(sameAsWholeText(rules, dense).length).toBeGreaterThan(0);
    expect(sameAsWholeText(rules, sparse).length).toBeGreaterThan(0);
  });

  it('finds the same as whole-text runs across chunk edges, in non-ASCII text and after long digit runs', () => {
    const rules = builtinRules.filter((r) => r.digitRuns !== undefined);
    const card = '4539 1488 0343 6467';
    for (const pad of [4090, 4093, 4096, 4100, 8190]) {
      sameAsWholeText(rules, `${'x'.repeat(pad)}${card} 8.8.4.4 ${'y'.repeat(300)}`);
      sameAsWholeText(rules, `${'é'.repeat(pad)}${card} +44 7911 123456 ${'😀'.repeat(300)}`);
      sameAsWholeText(rules, `${'7'.repeat(pad)} ${card} ${'1'.repeat(5000)}.8.8.8.8`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Hostile input: scan time must grow linearly. For each rule, inputs built from near matches of that rule at
// sizes n and 16n: linear growth is 16x, quadratic 256x. The allowed ratio, 64, is the brief's "about 8x for
// 4x the size" (time growing at most as size^1.5) applied to 16x; comparing over 16x rather than 4x keeps
// timer noise and cache effects on a busy 2-core box from looking like a slope.

const SIZE_FACTOR = 16;
const MAX_RATIO = 64;

/** Fastest of `runs` scans: noise (GC, other processes) only ever adds time, so the minimum is the cost. */
function timeScan(scan: (t: string) => unknown, text: string, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    scan(text);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Growth of scan time from `small` to `large` (SIZE_FACTOR times the size). A busy 2-core machine makes single timings
 * noisy (GC, other processes), so the ratio is measured up to three times and the best one counts: a
 * super-linear pattern is slow every time, noise is not.
 */
function growth(
  scan: (t: string) => unknown,
  small: string,
  large: string,
): { ratio: number; small: number; large: number } {
  timeScan(scan, small, 2); // warm up
  let best = { ratio: Infinity, small: 0, large: 0 };
  for (let attempt = 0; attempt < 3; attempt++) {
    const tSmall = timeScan(scan, small, 5);
    const tLarge = timeScan(scan, large, 5);
    const ratio = tLarge / Math.max(tSmall, 0.02);
    if (ratio < best.ratio) best = { ratio, small: tSmall, large: tLarge };
    // Below a few milliseconds timer noise dominates; a super-linear pattern is far slower than that here.
    if (ratio < MAX_RATIO || tLarge < 10) break;
  }
  return best;
}

function repeatTo(unit: string, size: number): string {
  if (unit.length === 0) return '';
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Near misses of a rule: its examples cut short, its keywords glued to token characters, and shapes. */
function hostileUnits(r: Rule): Record<string, string> {
  const examples = [...r.truePositives, ...r.falsePositives].map((t) => t.replace(/\n/g, ' '));
  const firstTp = r.truePositives[0] ?? '';
  const units: Record<string, string> = {
    'examples without newlines': examples.join(' ') + ' ',
    'true positive cut short': firstTp.slice(0, Math.max(1, firstTp.length - 2)).replace(/\n/g, ' ') + ' ',
    'keywords glued to token characters': r.keywords.map((k) => `${k}aB3_-9zQ`).join(''),
    'keywords then separators': r.keywords.map((k) => `${k}=: "' `).join(''),
    'digits, no separators': '1234567890',
    'digit groups': '1234-5678 9012.3456 ',
    'plus and digits': '+1 2',
    'at signs': 'a.b@c-d.',
    'userinfo shapes': '://a:b',
    'assignment shapes': 'password=a;pwd=',
    'pem armour': '-----BEGIN RSA PRIVATE KEY-----',
    'jwt-ish segments': 'eyJabc.eyJ',
    'hex and colons': '2a00:1450:',
  };
  return units;
}

describe('hostile input', () => {
  const N = 32 * 1024;
  for (const r of builtinRules) {
    it(`keeps ${r.id} linear on near-match runs`, () => {
      const d = createDetector({ rules: [r] });
      const scan = (t: string) => d.scan(t);
      for (const [name, unit] of Object.entries(hostileUnits(r))) {
        const small = repeatTo(unit, N);
        const large = repeatTo(unit, SIZE_FACTOR * N);
        const g = growth(scan, small, large);
        const tLarge = g.large;
        if (tLarge >= 10) {
          expect(
            g.ratio,
            `${r.id}: ${name} (${g.small.toFixed(2)} ms -> ${tLarge.toFixed(2)} ms)`,
          ).toBeLessThan(MAX_RATIO);
        }
        expect(tLarge, `${r.id}: ${name} took ${tLarge.toFixed(1)} ms for 512K`).toBeLessThan(2000);
      }
    });
  }

  it('keeps the full detector linear on 1 MB without newlines', () => {
    const d = createDetector();
    const scan = (t: string) => d.scan(t);
    const unit = builtinRules
      .flatMap((r) => [...r.truePositives, ...r.falsePositives])
      .join(' ')
      .replace(/\n/g, ' ');
    const small = repeatTo(unit, (1024 * 1024) / SIZE_FACTOR);
    const large = repeatTo(unit, 1024 * 1024);
    const g = growth(scan, small, large);
    expect(g.ratio, `${g.small.toFixed(1)} ms -> ${g.large.toFixed(1)} ms`).toBeLessThan(MAX_RATIO);
  });
});
