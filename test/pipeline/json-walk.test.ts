/**
 * The byte-level JSON walker under the pipeline: every string (keys and values) is reported with its raw
 * byte span and key path, anything that is not exactly one JSON value is a `JsonSyntaxError`, and neither
 * deep nesting nor huge strings can make it overflow the stack or go quadratic.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, walkJson } from '../../core/pipeline/index.js';

interface Seen {
  start: number;
  end: number;
  value: string;
  isKey: boolean;
  path: (string | number)[];
}

function walk(text: string | Buffer, maxDepth = 256): Seen[] {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const seen: Seen[] = [];
  walkJson(buf, {
    maxDepth,
    // The path is only valid during the call: copy it.
    onString: (v) =>
      seen.push({ start: v.start, end: v.end, value: v.value, isKey: v.isKey, path: [...v.path] }),
  });
  return seen;
}

/** Byte offset of the `n`th (0-based) occurrence of `needle` in the UTF-8 encoding of `text`. */
function byteIndex(text: string, needle: string, n = 0): number {
  const buf = Buffer.from(text, 'utf8');
  let at = -1;
  for (let i = 0; i <= n; i++) at = buf.indexOf(needle, at + 1, 'utf8');
  return at;
}

describe('walkJson reports every string with its byte span and path', () => {
  interface Case {
    title: string;
    json: string;
    expected: Omit<Seen, 'start' | 'end'>[];
  }
  const cases: Case[] = [
    {
      title: 'a flat object: key then value',
      json: '{"a":"b"}',
      expected: [
        { value: 'a', isKey: true, path: [] },
        { value: 'b', isKey: false, path: ['a'] },
      ],
    },
    {
      title: 'a string at the root',
      json: '  "root"  ',
      expected: [{ value: 'root', isKey: false, path: [] }],
    },
    {
      title: 'empty keys and empty values',
      json: '{"":"","x":[""]}',
      expected: [
        { value: '', isKey: true, path: [] },
        { value: '', isKey: false, path: [''] },
        { value: 'x', isKey: true, path: [] },
        { value: '', isKey: false, path: ['x', 0] },
      ],
    },
    {
      title: 'multi-byte UTF-8 (2, 3 and 4 bytes per character)',
      json: '{"é":"日本","k":"😀 ok"}',
      expected: [
        { value: 'é', isKey: true, path: [] },
        { value: '日本', isKey: false, path: ['é'] },
        { value: 'k', isKey: true, path: [] },
        { value: '😀 ok', isKey: false, path: ['k'] },
      ],
    },
    {
      title: 'escapes, decoded in the value, raw in the span',
      json: String.raw`["\u0041KIA","a\"b","c\\","\/path","tab\there","\ud83d\ude00"]`,
      expected: [
        { value: 'AKIA', isKey: false, path: [0] },
        { value: 'a"b', isKey: false, path: [1] },
        { value: 'c\\', isKey: false, path: [2] },
        { value: '/path', isKey: false, path: [3] },
        { value: 'tab\there', isKey: false, path: [4] },
        { value: '😀', isKey: false, path: [5] },
      ],
    },
    {
      title: 'nested arrays and objects inside arrays',
      json: '[[["x"]],["y",{"k":["z",[],{}]}],"w"]',
      expected: [
        { value: 'x', isKey: false, path: [0, 0, 0] },
        { value: 'y', isKey: false, path: [1, 0] },
        { value: 'k', isKey: true, path: [1, 1] },
        { value: 'z', isKey: false, path: [1, 1, 'k', 0] },
        { value: 'w', isKey: false, path: [2] },
      ],
    },
    {
      title: 'objects nested in objects, siblings after a closed child',
      json: '{"a":{"b":"c","d":{"e":"f"}},"g":"h"}',
      expected: [
        { value: 'a', isKey: true, path: [] },
        { value: 'b', isKey: true, path: ['a'] },
        { value: 'c', isKey: false, path: ['a', 'b'] },
        { value: 'd', isKey: true, path: ['a'] },
        { value: 'e', isKey: true, path: ['a', 'd'] },
        { value: 'f', isKey: false, path: ['a', 'd', 'e'] },
        { value: 'g', isKey: true, path: [] },
        { value: 'h', isKey: false, path: ['g'] },
      ],
    },
    {
      title: 'strings between numbers, literals and odd whitespace',
      json: '{ "n" : -0 ,\r\n\t"s" :\t"v" , "l" : [ true , null , 1e-7 , "t" ] }',
      expected: [
        { value: 'n', isKey: true, path: [] },
        { value: 's', isKey: true, path: [] },
        { value: 'v', isKey: false, path: ['s'] },
        { value: 'l', isKey: true, path: [] },
        { value: 't', isKey: false, path: ['l', 3] },
      ],
    },
  ];

  it.each(cases)('$title', ({ json, expected }) => {
    const seen = walk(json);
    expect(seen.map(({ value, isKey, path }) => ({ value, isKey, path }))).toEqual(expected);
    const buf = Buffer.from(json, 'utf8');
    for (const s of seen) {
      // The span is exactly the quoted string as written: it parses back to the value.
      expect(buf[s.start]).toBe(0x22);
      expect(buf[s.end - 1]).toBe(0x22);
      expect(JSON.parse(buf.subarray(s.start, s.end).toString('utf8'))).toBe(s.value);
    }
  });

  it('gives byte offsets, not string indices, after multi-byte characters', () => {
    const json = '{"日本":"😀","x":"after"}';
    const seen = walk(json);
    const after = seen.find((s) => s.value === 'after')!;
    expect(after.start).toBe(byteIndex(json, '"after"'));
    expect(after.end).toBe(after.start + '"after"'.length);
    // The string index would be smaller: 日本 and 😀 take more bytes than UTF-16 units.
    expect(after.start).toBeGreaterThan(json.indexOf('"after"'));
    const emoji = seen.find((s) => s.value === '😀')!;
    expect(emoji.end - emoji.start).toBe(6);
  });

  it('spans an escaped string over its escapes', () => {
    const json = String.raw`{"k":"\u0041\/\n"}`;
    const seen = walk(json);
    expect(seen[1]).toMatchObject({ start: 5, end: json.length - 1, value: 'A/\n' });
  });

  it('accepts a lone scalar as the whole document', () => {
    for (const json of ['1', '-0', ' true ', 'null', '3.14159', '1E+2', '[]', '{}']) {
      expect(() => walk(json), json).not.toThrow();
    }
  });

  it('reports top-level scalars of a top-level object only', () => {
    const top = new Map<string, unknown>();
    walkJson(
      Buffer.from('{"model":"m","stream":true,"n":2,"x":null,"o":{"model":"inner","deep":1},"a":[1]}'),
      {
        maxDepth: 10,
        onString: () => {},
        onTopLevelScalar: (k, v) => top.set(k, v),
      },
    );
    expect(Object.fromEntries(top)).toEqual({ model: 'm', stream: true, n: 2, x: null });
  });
});

describe('walkJson refuses anything that is not exactly one JSON value', () => {
  const invalid: [string, string][] = [
    ['empty input', ''],
    ['whitespace only', ' \n\t '],
    ['trailing garbage after an object', '{"a":1}x'],
    ['two documents', '{} {}'],
    ['trailing garbage after a string', '"a" "b"'],
    ['a trailing comma in an object', '{"a":1,}'],
    ['a trailing comma in an array', '[1,]'],
    ['a missing value', '{"a":}'],
    ['a missing colon', '{"a" 1}'],
    ['a key without a value', '{"a"}'],
    ['a non-string key', '{a:1}'],
    ['missing commas', '[1 2]'],
    ['a mismatched bracket', '[1}'],
    ['an unclosed array', '[1,2'],
    ['an unclosed object', '{"a":"b"'],
    ['an unterminated string', '"abc'],
    ['an unterminated string ending in an escaped quote', '["abc\\"]'],
    ['a bad escape', '["\\x41"]'],
    ['a short unicode escape', '["\\u12"]'],
    ['a raw newline inside a string', '["a\nb"]'],
    ['a raw control character inside an escaped string', '["\\n\u0001"]'],
    ['a lone closing brace', '}'],
    ['a lone closing bracket', ']'],
    ['a lone comma', ','],
    ['a lone colon', ':'],
    ['a bare word', 'hello'],
    ['a misspelled literal', 'tru'],
    ['a single-quoted string', "'a'"],
    ['a leading zero', '01'],
    ['a trailing dot', '1.'],
    ['a leading plus', '+1'],
    ['NaN', 'NaN'],
    ['a form feed as whitespace', '\f1'],
    ['a byte order mark', '\ufeff{}'],
  ];

  it.each(invalid)('throws JsonSyntaxError for %s', (_title, json) => {
    expect(() => walk(json)).toThrow(JsonSyntaxError);
  });

  it('says where the error is', () => {
    try {
      walk('{"a":1}x');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(JsonSyntaxError);
      expect((err as JsonSyntaxError).offset).toBe(7);
    }
  });
});

describe('walkJson on hostile sizes', () => {
  it('refuses 100k-deep nesting with a JsonSyntaxError, not a stack overflow', () => {
    const depth = 100_000;
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ] as const) {
      const json = open.repeat(depth) + close.repeat(depth);
      expect(() => walk(json, 256)).toThrow(JsonSyntaxError);
      expect(() => walk(json, 256)).toThrow(/nesting deeper than 256/);
    }
  });

  it('walks 100k-deep nesting iteratively when the depth limit allows it', () => {
    const depth = 100_000;
    const json = '['.repeat(depth) + '"leaf"' + ']'.repeat(depth);
    const seen = walk(json, depth + 1);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toHaveLength(depth);
  });

  function timeWalk(buf: Buffer): number {
    const t0 = performance.now();
    walkJson(buf, { maxDepth: 8, onString: () => {} });
    return performance.now() - t0;
  }

  const MB = 1 << 20;
  const shapes: [string, (n: number) => string][] = [
    ['plain ASCII', (n) => 'a'.repeat(n)],
    ['escaped quotes', (n) => '\\"'.repeat(n / 2)],
    ['escaped backslashes', (n) => '\\\\'.repeat(n / 2)],
    ['backslash runs before quotes', (n) => 'x\\\\\\\\\\\\\\"'.repeat(n / 10)],
    ['multi-byte text', (n) => 'é'.repeat(n / 2)],
  ];

  it.each(shapes)('walks a 1 MB string of %s in linear time', (_title, make) => {
    const doc = (n: number): Buffer => Buffer.from(`{"k":"${make(n)}"}`, 'utf8');
    const small = doc(MB);
    const large = doc(8 * MB);
    timeWalk(small); // warm up
    const tSmall = Math.min(timeWalk(small), timeWalk(small), timeWalk(small));
    const tLarge = Math.min(timeWalk(large), timeWalk(large));
    expect(tSmall).toBeLessThan(500);
    // Eight times the input may cost about eight times the time; quadratic would be sixty-four.
    expect(tLarge).toBeLessThan(Math.max(tSmall * 24, 100));
  });
});
