/** The pure pseudonym module: grammar, vault and restorers, driven by tables with a frozen clock. */
import { describe, expect, it } from 'vitest';
import {
  MAX_STAND_IN_LENGTH,
  StreamRestorer,
  createVault,
  isStandIn,
  matchStandIn,
  mayHoldStandIn,
  messageRewriter,
  restoreDeep,
  restoreText,
  type Lookup,
} from '../../core/pseudonym/index.js';

const KEY = new Uint8Array(32).fill(7);
const T0 = 1_800_000_000_000;
const MINUTE = 60_000;
const PARTIAL = -2;
const NONE = -1;

describe('the stand-in grammar', () => {
  it.each([
    ['[[email_k7q2m9wd]]', 18],
    ['[[phone-number_0123456789abcdef]]', 33],
    ['[[email_k7q2m9wd]] trailing', 18],
    ['[', PARTIAL],
    ['[[', PARTIAL],
    ['[[email', PARTIAL],
    ['[[email_', PARTIAL],
    ['[[email_k7q2', PARTIAL],
    ['[[email_k7q2m9wd', PARTIAL],
    ['[[email_k7q2m9wd]', PARTIAL],
    ['[x', NONE],
    ['[[]]', NONE],
    ['[[_k7q2m9wd]]', NONE],
    ['[[Email_k7q2m9wd]]', NONE],
    ['[[email_k7q2]]', NONE],
    ['[[email_k7q2m9]]', NONE],
    ['[[email_K7Q2M9]]', NONE],
    ['[[email_k7q2m9wdu]]', NONE],
    ['[[email_0123456789abcdefg]]', NONE],
    ['[[email_k7q2m9wd] ]', NONE],
    ['[[email k7q2m9wd]]', NONE],
    ['[[1, 2], [3, 4]]', NONE],
  ])('%j at 0 gives %d', (text, expected) => {
    expect(matchStandIn(text, 0)).toBe(expected);
  });

  it('bounds what a scanner may hold', () => {
    const longest = `[[${'a'.repeat(64)}_${'0'.repeat(16)}]]`;
    expect(longest.length).toBe(MAX_STAND_IN_LENGTH);
    expect(isStandIn(longest)).toBe(true);
    expect(matchStandIn(`[[${'a'.repeat(65)}`, 0)).toBe(NONE);
  });
});

describe('the vault', () => {
  const vault = () => createVault({ key: KEY, idleTtlMs: 10 * MINUTE, maxEntries: 3 });

  it('gives the same value the same typed stand-in, and different values different ones', () => {
    const v = vault();
    const a = v.standIn('email', 'jane@acme.io', T0)!;
    expect(a).toMatch(/^\[\[email_[0-9a-z]{8}\]\]$/);
    expect(v.standIn('email', 'jane@acme.io', T0 + 1)).toBe(a);
    expect(v.standIn('email', 'john@acme.io', T0)).not.toBe(a);
    expect(v.original(a, T0 + 2)).toBe('jane@acme.io');
  });

  it('gives a value its stand-in again after its entry expired (same key), but restores it only while held', () => {
    const v = vault();
    const a = v.standIn('email', 'jane@acme.io', T0)!;
    expect(v.original(a, T0 + 11 * MINUTE)).toBeUndefined();
    expect(v.size(T0 + 11 * MINUTE)).toBe(0);
    expect(v.standIn('email', 'jane@acme.io', T0 + 12 * MINUTE)).toBe(a);
    expect(v.original(a, T0 + 13 * MINUTE)).toBe('jane@acme.io');
  });

  it('keeps an entry alive while it is used, and drops the least recently used beyond maxEntries', () => {
    const v = vault();
    const a = v.standIn('email', 'a@x.io', T0)!;
    const b = v.standIn('email', 'b@x.io', T0 + 1)!;
    v.standIn('email', 'c@x.io', T0 + 2);
    expect(v.original(a, T0 + 9 * MINUTE)).toBe('a@x.io');
    v.standIn('email', 'd@x.io', T0 + 9 * MINUTE);
    expect(v.original(b, T0 + 9 * MINUTE)).toBeUndefined();
    expect(v.original(a, T0 + 18 * MINUTE)).toBe('a@x.io');
    expect(v.size(T0 + 18 * MINUTE)).toBe(2);
  });

  it('depends on the key: another daemon gives other stand-ins', () => {
    const other = createVault({ key: new Uint8Array(32).fill(8), idleTtlMs: MINUTE, maxEntries: 10 });
    expect(other.standIn('email', 'jane@acme.io', T0)).not.toBe(vault().standIn('email', 'jane@acme.io', T0));
  });

  it('extends the id instead of reusing a stand-in held for another value', () => {
    const v = createVault({ key: KEY, idleTtlMs: MINUTE, maxEntries: 10 });
    // With this key, the HMACs of these two addresses share their first 40 bits (found by search).
    const first = v.standIn('email', 'user694489@acme.io', T0)!;
    const second = v.standIn('email', 'user1205132@acme.io', T0)!;
    expect(first).toMatch(/^\[\[email_[0-9a-z]{8}\]\]$/);
    expect(second).toMatch(/^\[\[email_[0-9a-z]{10}\]\]$/);
    expect(second.startsWith(first.slice(0, -2))).toBe(true);
    expect(v.original(first, T0)).toBe('user694489@acme.io');
    expect(v.original(second, T0)).toBe('user1205132@acme.io');
  });

  it.each([
    [{ key: new Uint8Array(16), idleTtlMs: 1, maxEntries: 1 }],
    [{ key: KEY, idleTtlMs: 0, maxEntries: 1 }],
    [{ key: KEY, idleTtlMs: 1, maxEntries: 0 }],
  ])('refuses bad options %#', (options) => {
    expect(() => createVault(options)).toThrow(expect.objectContaining({ code: 'LG_ARG_INVALID' }));
  });
});

const MAP: Record<string, string> = {
  '[[email_k7q2m9wd]]': 'jane "J" \\ doe@acme.io',
  '[[iban_0123abcd]]': 'GB82 WEST',
};
const lookup: Lookup = (s) => MAP[s];

describe('restoring whole strings', () => {
  it.each([
    ['no stand-in', 'no stand-in', 'no stand-in'],
    [
      'mail [[email_k7q2m9wd]] now',
      'mail jane "J" \\ doe@acme.io now',
      'mail jane \\"J\\" \\\\ doe@acme.io now',
    ],
    ['[[[email_k7q2m9wd]]]', '[jane "J" \\ doe@acme.io]', '[jane \\"J\\" \\\\ doe@acme.io]'],
    [
      '[[iban_0123abcd]][[email_k7q2m9wd]]',
      'GB82 WESTjane "J" \\ doe@acme.io',
      'GB82 WESTjane \\"J\\" \\\\ doe@acme.io',
    ],
    ['never issued [[email_zzzzzzzz]]', 'never issued [[email_zzzzzzzz]]', 'never issued [[email_zzzzzzzz]]'],
    ['ends open [[email_k7', 'ends open [[email_k7', 'ends open [[email_k7'],
  ])('%j', (text, asText, asJson) => {
    expect(restoreText(text, lookup)).toBe(asText);
    expect(restoreText(text, lookup, 'json')).toBe(asJson);
  });
});

describe('the pre-check on raw JSON text', () => {
  it.each([
    ['{"text":"[[email_k7q2m9wd]]"}', true],
    ['{"text":"a ["}', true],
    ['{"text":"a [x] ok"}', false],
    ['{"text":"a [["}', true],
    ['{"parts":["[email_k7q2m9wd]]"]}', true],
    ['{"text":"\\u005b\\u005bemail"}', true],
    ['{"choices":[{"index":0,"delta":{"content":"hi"}}]}', false],
  ])('%j may hold a stand-in: %s (as text and as bytes)', (json, expected) => {
    expect(mayHoldStandIn(json)).toBe(expected);
    expect(mayHoldStandIn(Buffer.from(json))).toBe(expected);
  });
});

describe('restoring text that arrives in pieces', () => {
  it.each([
    [
      ['mail [', '[email_k7q2m9wd]', '] ok'],
      ['mail ', '', 'jane "J" \\ doe@acme.io ok'],
    ],
    [
      ['[[', 'email_k7q2m9wd]]'],
      ['', 'jane "J" \\ doe@acme.io'],
    ],
    [
      ['a[', 'b'],
      ['a', '[b'],
    ],
    [
      ['[[email_', 'x]]'],
      ['', '[[email_x]]'],
    ],
    [['x = [[1, 2]]'], ['x = [[1, 2]]']],
    [['ends with [[ema'], ['ends with ']],
  ])('%j comes out as %j', (input, output) => {
    const r = new StreamRestorer(lookup);
    expect(input.map((p) => r.push(p))).toEqual(output);
  });

  it('holds no more than a possible stand-in, and gives it back on flush', () => {
    const r = new StreamRestorer(lookup);
    expect(r.push('see [[email_k7q')).toBe('see ');
    expect(r.holding).toBe(true);
    expect(r.flush()).toBe('[[email_k7q');
    expect(r.holding).toBe(false);
  });
});

describe('stream rewriters', () => {
  const options = { lookup, restoreToolArguments: true };

  it('send an event that holds nothing of a stand-in as it came', () => {
    const rewriter = messageRewriter('anthropic-messages', options);
    const data = JSON.stringify({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'hi' },
    });
    expect(rewriter.message('content_block_delta', data)).toEqual({ before: [], data: undefined });
  });

  it('leave Anthropic thinking exactly as signed: thinking_delta, thinking blocks and their signature', () => {
    const rewriter = messageRewriter('anthropic-messages', options);
    const thinking = [
      JSON.stringify({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: 'about [[email_k7q2m9wd]]', signature: '' },
      }),
      JSON.stringify({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'mail [[email_k7q2m9wd]] or [[em' },
      }),
      JSON.stringify({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'ail_k7q2m9wd]]' },
      }),
      JSON.stringify({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'EqQBCkY[[x' },
      }),
      JSON.stringify({ type: 'content_block_stop', index: 0 }),
    ];
    for (const data of thinking)
      expect(rewriter.message(undefined, data)).toEqual({ before: [], data: undefined });
    const text = rewriter.message(
      'content_block_delta',
      JSON.stringify({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'text_delta', text: '[[email_k7q2m9wd]]' },
      }),
    );
    expect(JSON.parse(text.data!).delta.text).toBe(MAP['[[email_k7q2m9wd]]']);
  });

  it('leave thinking blocks of a complete Anthropic message as signed, and restore its text', () => {
    const message = {
      type: 'message_start',
      message: {
        content: [
          { type: 'thinking', thinking: 'about [[email_k7q2m9wd]]', signature: 'EqQB' },
          { type: 'text', text: 'to [[email_k7q2m9wd]]' },
        ],
      },
    };
    expect(restoreDeep(message, options)).toBe(true);
    expect(message.message.content).toEqual([
      { type: 'thinking', thinking: 'about [[email_k7q2m9wd]]', signature: 'EqQB' },
      { type: 'text', text: `to ${MAP['[[email_k7q2m9wd]]']}` },
    ]);
  });

  it('send held text in a delta of its own before the block stops (Anthropic)', () => {
    const rewriter = messageRewriter('anthropic-messages', options);
    const delta = (text: string): string =>
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
    expect(JSON.parse(rewriter.message('content_block_delta', delta('a [[em')).data!)).toMatchObject({
      delta: { text: 'a ' },
    });
    const stop = rewriter.message(
      'content_block_stop',
      JSON.stringify({ type: 'content_block_stop', index: 0 }),
    );
    expect(stop.data).toBeUndefined();
    expect(stop.before).toEqual([{ event: 'content_block_delta', data: delta('[[em') }]);
  });

  it('append held text to the finishing chunk of an OpenAI choice', () => {
    const rewriter = messageRewriter('openai-chat', options);
    const chunk = (content: string, finish: string | null): string =>
      JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
    expect(JSON.parse(rewriter.message(undefined, chunk('x [', null)).data!).choices[0].delta.content).toBe(
      'x ',
    );
    const last = rewriter.message(undefined, chunk('[a', 'stop'));
    expect(JSON.parse(last.data!).choices[0].delta.content).toBe('[[a');
    expect(rewriter.message(undefined, '[DONE]')).toEqual({ before: [], data: undefined });
  });

  it.each([
    ['response.output_text.delta', 'response.output_text.done', 'text', 'mail jane "J" \\ doe@acme.io'],
    [
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'arguments',
      'mail jane \\"J\\" \\\\ doe@acme.io',
    ],
    [
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'input',
      'mail jane "J" \\ doe@acme.io',
    ],
  ])(
    'restore a stand-in split across %s events and in the .done event (Responses)',
    (type, done, field, restored) => {
      const rewriter = messageRewriter('openai-responses', options);
      const delta = (piece: string): string =>
        JSON.stringify({ type, item_id: 'i', output_index: 0, delta: piece });
      const out = ['mail [[em', 'ail_k7q', '2m9wd]]'].map((p) => rewriter.message(type, delta(p)));
      expect(
        out.map((o) => (o.data === undefined ? undefined : (JSON.parse(o.data) as { delta: string }).delta)),
      ).toEqual(['mail ', '', restored.slice('mail '.length)]);
      const end = rewriter.message(
        done,
        JSON.stringify({ type: done, item_id: 'i', output_index: 0, [field]: 'mail [[email_k7q2m9wd]]' }),
      );
      expect((JSON.parse(end.data!) as Record<string, string>)[field]).toBe(restored);
    },
  );

  it('flush what a stream left open when it ends without a finish (Gemini)', () => {
    const rewriter = messageRewriter('gemini-generate', options);
    const out = rewriter.message(
      undefined,
      JSON.stringify({ candidates: [{ content: { parts: [{ text: 'p [[' }] } }] }),
    );
    expect(JSON.parse(out.data!).candidates[0].content.parts[0].text).toBe('p ');
    expect(rewriter.end().map((m) => JSON.parse(m.data).candidates[0].content.parts[0].text)).toEqual(['[[']);
  });
});
