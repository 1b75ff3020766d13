/** The restore stage's edges: when it steps in, what it leaves byte for byte, and how it fails safe. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createDetector } from '../../core/detect/index.js';
import { compose, restoreStage, scanStage, type Dispatch } from '../../core/pipeline/index.js';
import { createVault, type PseudonymVault } from '../../core/pseudonym/index.js';
import { NOW, backendExchange, exchangeFor, throughStage } from '../support/restore.js';

const KEY = new Uint8Array(32).fill(3);

function vaultWith(value: string): { vault: PseudonymVault; standIn: string } {
  const vault = createVault({ key: KEY, idleTtlMs: 60_000, maxEntries: 100 });
  return { vault, standIn: vault.standIn('email', value, NOW)! };
}

const EMAIL = 'jane.doe@acme-corp.io';

describe('the restore stage', () => {
  it('stays out of the way while the vault is empty: headers, encoding and bytes untouched', () => {
    const vault = createVault({ key: KEY, idleTtlMs: 60_000, maxEntries: 100 });
    const body = Buffer.from('{"text":"[[email_k7q2m9wd]]"}');
    const got = throughStage(vault, exchangeFor('openai-chat', false), body, {
      contentType: 'application/json',
    });
    expect(got.requestHeaders['accept-encoding']).toBe('gzip, br');
    expect(got.headers['content-length']).toBe(String(body.length));
    expect(got.body.equals(body)).toBe(true);
  });

  it('asks upstream for an uncompressed answer and drops content-length once it restores', () => {
    const { vault, standIn } = vaultWith(EMAIL);
    const body = Buffer.from(JSON.stringify({ content: [{ type: 'text', text: `to ${standIn}` }] }));
    const got = throughStage(vault, exchangeFor('anthropic', false), body, {
      contentType: 'application/json',
    });
    expect(got.requestHeaders['accept-encoding']).toBe('identity');
    expect(got.headers['content-length']).toBeUndefined();
    expect(JSON.parse(got.body.toString('utf8'))).toEqual({
      content: [{ type: 'text', text: `to ${EMAIL}` }],
    });
  });

  it('restores a JSON error answer to a streaming request', () => {
    const { vault, standIn } = vaultWith(EMAIL);
    const body = Buffer.from(JSON.stringify({ error: { message: `bad value ${standIn}` } }));
    const got = throughStage(vault, exchangeFor('openai-chat', true), body, {
      contentType: 'application/json',
      status: 400,
    });
    expect(JSON.parse(got.body.toString('utf8'))).toEqual({ error: { message: `bad value ${EMAIL}` } });
  });

  it('leaves Anthropic thinking as signed, in JSON and streamed answers, and restores the text', () => {
    const { vault, standIn } = vaultWith(EMAIL);
    const thinking = { type: 'thinking', thinking: `mail ${standIn}`, signature: 'EqQBCkYIBxgC' };
    const json = throughStage(
      vault,
      exchangeFor('anthropic', false),
      Buffer.from(JSON.stringify({ content: [thinking, { type: 'text', text: `to ${standIn}` }] })),
      { contentType: 'application/json' },
    );
    expect(JSON.parse(json.body.toString('utf8'))).toEqual({
      content: [thinking, { type: 'text', text: `to ${EMAIL}` }],
    });

    const event = (type: string, data: unknown): string =>
      `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    const signed = [
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      }),
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: `mail ${standIn.slice(0, 9)}` },
      }),
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: `${standIn.slice(9)} now` },
      }),
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'EqQBCkYIBxgC' },
      }),
      event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    ].join('');
    const text = event('content_block_delta', {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'text_delta', text: standIn },
    });
    const streamed = throughStage(vault, exchangeFor('anthropic', true), Buffer.from(signed + text), {
      contentType: 'text/event-stream',
      cuts: [20, 150, 151, 300],
    }).body.toString('utf8');
    expect(streamed.slice(0, signed.length)).toBe(signed);
    expect(streamed.slice(signed.length)).toContain(`"text":"${EMAIL}"`);
  });

  it('keeps every byte of a JSON answer that it does not restore, numbers and escapes included', () => {
    const { vault, standIn } = vaultWith(EMAIL);
    const body = Buffer.from(`{"n": 12345678901234567890, "e":"caf\\u00e9", "t":"${standIn}" , "x":1.50}`);
    const got = throughStage(vault, exchangeFor('openai-chat', false), body, {
      contentType: 'application/json',
    });
    expect(got.body.toString('utf8')).toBe(
      `{"n": 12345678901234567890, "e":"caf\\u00e9", "t":"${EMAIL}" , "x":1.50}`,
    );
  });

  it.each([
    ['a compressed answer', { 'content-encoding': 'gzip' }, (b: Buffer) => gzipSync(b)],
    ['malformed JSON', {}, (b: Buffer) => Buffer.concat([b, Buffer.from('}')])],
  ])('passes %s through as it came (the client then sees stand-ins)', (_title, headers, encode) => {
    const { vault, standIn } = vaultWith(EMAIL);
    const body = encode(Buffer.from(JSON.stringify({ text: standIn })));
    const got = throughStage(vault, exchangeFor('openai-chat', false), body, {
      contentType: 'application/json',
      headers,
    });
    expect(got.body.equals(body)).toBe(true);
  });

  it('keeps the exact bytes of events it does not change: CRLF, comments, ids, non-JSON data', () => {
    const { vault, standIn } = vaultWith(EMAIL);
    const untouched = [
      ': keep-alive\r\n\r\n',
      'id: 7\r\nevent: ping\r\ndata: {"type": "ping"}\r\n\r\n',
      'data: not json [[\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"é"}}\n\n',
    ];
    const changed = `event: content_block_delta\ndata: ${JSON.stringify({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: standIn },
    })}\n\n`;
    const body = Buffer.from(untouched.join('') + changed);
    const got = throughStage(vault, exchangeFor('anthropic', true), body, {
      contentType: 'text/event-stream',
      cuts: [3, 17, 40, 41, 90],
    }).body.toString('utf8');
    expect(got.startsWith(untouched.join(''))).toBe(true);
    expect(got.slice(untouched.join('').length)).toBe(
      `event: content_block_delta\ndata: ${JSON.stringify({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: EMAIL },
      })}\n\n`,
    );
  });

  it('gives back an event the stream never finished', () => {
    const { vault } = vaultWith(EMAIL);
    const body = Buffer.from('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\ndata: {"cho');
    const got = throughStage(vault, exchangeFor('openai-chat', true), body, {
      contentType: 'text/event-stream',
    });
    expect(got.body.equals(body)).toBe(true);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['no', ''],
  ])('restores the last event of a stream that ends without its blank line (%s line end)', (_title, eol) => {
    const { vault, standIn } = vaultWith(EMAIL);
    const chunk = (content: string, finish: string | null): string =>
      `data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}`;
    // The stand-in is split across the last two events; the last one never gets its blank line.
    const body = Buffer.from(
      `${chunk(`mail ${standIn.slice(0, 7)}`, null)}\n\n${chunk(`${standIn.slice(7)} now`, 'stop')}${eol}`,
    );
    const got = throughStage(vault, exchangeFor('openai-chat', true), body, {
      contentType: 'text/event-stream',
      cuts: [30],
    }).body.toString('utf8');
    expect(got).toBe(`${chunk('mail ', null)}\n\n${chunk(`${EMAIL} now`, 'stop')}\n\n`);
  });

  it('keeps the exact bytes of an unfinished last event with nothing to restore', () => {
    const { vault, standIn } = vaultWith(EMAIL);
    const body = Buffer.from(
      `data: {"choices":[{"index":0,"delta":{"content":"${standIn}"}}]}\r\n\r\nid: 9\r\ndata: {"choices":[]}\r\n`,
    );
    const got = throughStage(vault, exchangeFor('openai-chat', true), body, {
      contentType: 'text/event-stream',
    }).body.toString('utf8');
    expect(got).toBe(
      `data: {"choices":[{"index":0,"delta":{"content":"${EMAIL}"}}]}\n\nid: 9\r\ndata: {"choices":[]}\r\n`,
    );
  });

  it('gives the client the exact bytes of a stream that turns out not to be UTF-8, restoring what came before', () => {
    const { vault, standIn } = vaultWith(EMAIL);
    const chunk = (content: string): string =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
    const first = Buffer.from(chunk(`café ${standIn}`));
    // 0xff never occurs in UTF-8; a lenient decoder would turn it into U+FFFD (ef bf bd).
    const rest = Buffer.concat([
      Buffer.from('data: {"choices":[{"index":0,"delta":{"content":"'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from(`"}}]}\n\n${chunk(standIn)}`),
    ]);
    const cafe = first.indexOf('é');
    const got = throughStage(vault, exchangeFor('openai-chat', true), Buffer.concat([first, rest]), {
      contentType: 'text/event-stream',
      // é cut in two, then the invalid bytes arrive in a chunk of their own.
      cuts: [cafe + 1, first.length, first.length + 60],
    }).body;
    expect(got.equals(Buffer.concat([Buffer.from(chunk(`café ${EMAIL}`)), rest]))).toBe(true);
  });

  it.each([
    ['an SSE stream', 'text/event-stream', 'openai-chat' as const],
    ['an NDJSON stream', 'application/x-ndjson', 'ollama' as const],
  ])(
    'keeps a byte-order mark and a UTF-8 sequence the stream ends inside of %s',
    (_title, contentType, format) => {
      const { vault, standIn } = vaultWith(EMAIL);
      const message = (content: string): string =>
        format === 'ollama'
          ? `${JSON.stringify({ message: { role: 'assistant', content }, done: false })}\n`
          : `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      const body = Buffer.concat([
        bom,
        Buffer.from(message('hé') + message(standIn)),
        Buffer.from([0xe2, 0x82]), // the first two bytes of €
      ]);
      const got = throughStage(vault, exchangeFor(format, true), body, { contentType, cuts: [1, 2, 5] }).body;
      expect(
        got.equals(
          Buffer.concat([bom, Buffer.from(message('hé') + message(EMAIL)), Buffer.from([0xe2, 0x82])]),
        ),
      ).toBe(true);
    },
  );

  it('leaves a stand-in of the right shape that this vault never issued as it is', () => {
    const { vault } = vaultWith('other@acme.io');
    const standIn = createVault({ key: KEY, idleTtlMs: 1, maxEntries: 100 }).standIn('email', EMAIL, NOW)!;
    const body = Buffer.from(JSON.stringify({ text: standIn }));
    const got = throughStage(vault, exchangeFor('openai-chat', false), body, {
      contentType: 'application/json',
    });
    expect(got.body.toString('utf8')).toBe(body.toString('utf8'));
  });

  describe('for an organisation backend (no provider API)', () => {
    it('restores every string of a JSON answer that echoes stand-ins, keys left alone', () => {
      const { vault, standIn } = vaultWith(EMAIL);
      const body = Buffer.from(
        JSON.stringify({
          ticket: { id: 42, summary: `Customer ${standIn} reported the outage`, tags: [standIn] },
          [standIn]: 'a key stays as it is',
        }),
      );
      const got = throughStage(vault, backendExchange(false), body, { contentType: 'application/json' });
      expect(got.requestHeaders['accept-encoding']).toBe('identity');
      expect(JSON.parse(got.body.toString('utf8'))).toEqual({
        ticket: { id: 42, summary: `Customer ${EMAIL} reported the outage`, tags: [EMAIL] },
        [standIn]: 'a key stays as it is',
      });
    });

    it('restores SSE and NDJSON messages of a streamed answer, each as a whole', () => {
      const { vault, standIn } = vaultWith(EMAIL);
      const sse = Buffer.from(
        `event: progress\ndata: {"step":1}\n\nevent: result\ndata: ${JSON.stringify({ text: `to ${standIn}` })}\n\n` +
          `data: ${JSON.stringify({ text: `to ${standIn.slice(0, 6)}` })}\n\ndata: ${JSON.stringify({ text: standIn.slice(6) })}\n\n`,
      );
      const got = throughStage(vault, backendExchange(true), sse, {
        contentType: 'text/event-stream',
        cuts: [10, 50],
      }).body.toString('utf8');
      // A stand-in split across messages is not put together: the generic stream has no text channels.
      expect(got).toBe(
        `event: progress\ndata: {"step":1}\n\nevent: result\ndata: ${JSON.stringify({ text: `to ${EMAIL}` })}\n\n` +
          `data: ${JSON.stringify({ text: `to ${standIn.slice(0, 6)}` })}\n\ndata: ${JSON.stringify({ text: standIn.slice(6) })}\n\n`,
      );

      const ndjson = Buffer.from(`{"n":1}\n${JSON.stringify({ note: standIn })}\n`);
      const lines = throughStage(vault, backendExchange(true), ndjson, {
        contentType: 'application/x-ndjson',
      }).body.toString('utf8');
      expect(lines).toBe(`{"n":1}\n${JSON.stringify({ note: EMAIL })}\n`);
    });

    it('gives back the original a backend echoes, though the backend only saw its stand-in', async () => {
      const vault = createVault({ key: KEY, idleTtlMs: 60_000, maxEntries: 100 });
      const exchange = backendExchange(false);
      exchange.headers['content-type'] = 'application/json';
      exchange.body = Buffer.from(JSON.stringify({ note: `Customer ${EMAIL} reported the outage` }));
      exchange.requestBytes = exchange.body.length;
      let received = '';
      // The fake backend answers with what it received, in a JSON object of its own.
      const backend: Dispatch = (sent, handler) => {
        received = sent.body.toString('utf8');
        const body = Buffer.from(JSON.stringify({ echo: JSON.parse(received) as unknown }));
        const controller = { pause() {}, resume() {}, abort() {} };
        handler.onRequestStart(controller);
        handler.onResponseStart(controller, 200, { 'content-type': 'application/json' });
        handler.onResponseData(controller, body);
        handler.onResponseEnd(controller);
      };
      const dispatch = compose(
        [
          scanStage({
            detector: createDetector({ categoryActions: { pii: 'pseudonymize' } }),
            maxBodyBytes: 1 << 20,
            pseudonyms: vault,
            now: () => NOW,
          }),
          restoreStage({ vault, restoreToolArguments: true, now: () => NOW }),
        ],
        backend,
      );
      const answer = await new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        dispatch(exchange, {
          onRequestStart() {},
          onResponseStart() {},
          onResponseData(_c, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            resolve(Buffer.concat(chunks).toString('utf8'));
          },
          onResponseError(_c, error) {
            reject(error);
          },
        });
      });
      expect(received).not.toContain(EMAIL);
      expect(received).toMatch(/Customer \[\[email_[0-9a-z]{8,16}\]\] reported/);
      expect(JSON.parse(answer)).toEqual({ echo: { note: `Customer ${EMAIL} reported the outage` } });
    });
  });
});
