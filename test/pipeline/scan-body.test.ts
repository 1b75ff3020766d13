/**
 * Request-body scanning: each string is unescaped, scanned and, when something is found, re-encoded in
 * place; every other byte stays. Field kinds from the provider adapters decide what is embedded JSON (tool
 * arguments, opened and scanned inside) and what is media (skipped only when it really is base64).
 *
 * Most tables use a stub detector (`SEKRET<digits>` is a secret, `BLOCKME` must block) so the expected
 * bytes are obvious; a few cases run the real detectors.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createDetector, type Detector, type Finding } from '../../core/detect/index.js';
import { JsonSyntaxError, isBase64Media, scanJsonBody, scanTextBody } from '../../core/pipeline/index.js';
import {
  anthropicMessagesAdapter,
  geminiGenerateAdapter,
  genericJsonAdapter,
  ollamaChatAdapter,
  openaiChatAdapter,
  openaiResponsesAdapter,
  type Adapter,
} from '../../core/providers/index.js';
import { AWS_KEY, DB_URL, URL_PASSWORD_SECRET } from '../support/secrets.js';

const R = '[REDACTED:test-secret]';

function stubDetector(seen: string[] = []): Detector {
  return {
    scan(text: string): Finding[] {
      seen.push(text);
      const out: Finding[] = [];
      for (const m of text.matchAll(/SEKRET\d+|BLOCKME/g)) {
        const block = m[0] === 'BLOCKME';
        out.push({
          rule: block ? 'test-block' : 'test-secret',
          category: block ? 'custom' : 'secret',
          start: m.index,
          end: m.index + m[0].length,
          action: block ? 'block' : 'redact',
        });
      }
      return out;
    },
  };
}

function scan(
  body: string,
  adapter: Pick<Adapter, 'fieldKind'> = genericJsonAdapter,
  detector = stubDetector(),
) {
  const buf = Buffer.from(body, 'utf8');
  const outcome = scanJsonBody(buf, adapter, detector);
  return { ...outcome, input: buf, text: outcome.body.toString('utf8') };
}

const BASE64_IMAGE = `data:image/png;base64,iVBORw0KGgoSEKRET1AAAANSUhEUgAAAAEAAAAB`;
/** Bare base64 of a PNG (its signature first) whose bytes also spell a marker: binary media is not scanned. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BARE_MEDIA = Buffer.concat([PNG_SIGNATURE, Buffer.from(`SEKRET9${'ABC'.repeat(80)}`)]).toString(
  'base64',
);

describe('attachments in media fields', () => {
  it('refuses a base64 attachment that is neither image/audio/video nor UTF-8 text (a PDF)', () => {
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n%'),
      Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
      Buffer.from(` SEKRET30 ${'stream '.repeat(40)}`),
    ]);
    const body = JSON.stringify({ messages: [{ images: [pdf.toString('base64')] }] });
    expect(() => scan(body, ollamaChatAdapter)).toThrow(
      expect.objectContaining({ code: 'LG_PIPELINE_UNSCANNABLE', rule: 'unscannable-body' }),
    );
  });

  it('scans a base64 UTF-8 text attachment and re-encodes it redacted', () => {
    const text = `notes ${'x'.repeat(300)} SEKRET31`;
    const body = JSON.stringify({ messages: [{ images: [Buffer.from(text).toString('base64')] }] });
    const out = JSON.parse(scan(body, ollamaChatAdapter).text) as { messages: { images: string[] }[] };
    expect(Buffer.from(out.messages[0]!.images[0]!, 'base64').toString('utf8')).toBe(
      text.replace('SEKRET31', R),
    );
  });
});

describe('scanJsonBody rewrites only the strings that hold something', () => {
  const cases: { title: string; adapter?: Pick<Adapter, 'fieldKind'>; body: string; expected: string }[] = [
    {
      title: 'a value string',
      body: '{"messages":[{"role":"user","content":"a SEKRET1 b"}]}',
      expected: `{"messages":[{"role":"user","content":"a ${R} b"}]}`,
    },
    {
      title: 'an object key',
      body: '{"meta":{"SEKRET2":1}}',
      expected: `{"meta":{"${R}":1}}`,
    },
    {
      title: 'a secret spelled with \\u escapes',
      body: String.raw`{"a":"\u0053EKRET3 and \u0053\u0045\u004bRET33"}`,
      expected: `{"a":"${R} and ${R}"}`,
    },
    {
      title: 'a value after multi-byte keys and text',
      body: '{"é":"日本 SEKRET4 😀","z":"ok"}',
      expected: `{"é":"日本 ${R} 😀","z":"ok"}`,
    },
    {
      title: 'odd whitespace, numbers and key order around the value',
      body: '{ "n" : -0 ,\r\n\t"s":"SEKRET5" ,"f":1e-7, "pi":3.14159 ,"a":[ ] }',
      expected: `{ "n" : -0 ,\r\n\t"s":"${R}" ,"f":1e-7, "pi":3.14159 ,"a":[ ] }`,
    },
    {
      title: 'strings nested deep in arrays',
      body: '[[["x","SEKRET6"]],[{"k":["SEKRET7"]}]]',
      expected: `[[["x","${R}"]],[{"k":["${R}"]}]]`,
    },
    {
      title: 'a value whose other characters need escaping after the rewrite',
      body: String.raw`{"a":"line\nSEKRET8\t\"q\" \u00e9"}`,
      expected: `{"a":${JSON.stringify(`line\n${R}\t"q" é`)}}`,
    },
    {
      title: 'chat tool-call arguments: opened as JSON, inner layout kept',
      adapter: openaiChatAdapter,
      body: JSON.stringify({
        messages: [
          {
            role: 'assistant',
            tool_calls: [
              { type: 'function', function: { name: 'f', arguments: '{"q": "SEKRET10",  "n": 1}' } },
            ],
          },
        ],
      }),
      expected: JSON.stringify({
        messages: [
          {
            role: 'assistant',
            tool_calls: [{ type: 'function', function: { name: 'f', arguments: `{"q": "${R}",  "n": 1}` } }],
          },
        ],
      }),
    },
    {
      title: 'tool-call arguments that are not JSON: scanned as text',
      adapter: openaiChatAdapter,
      body: JSON.stringify({ messages: [{ tool_calls: [{ function: { arguments: '{"q": SEKRET11' } }] }] }),
      expected: JSON.stringify({ messages: [{ tool_calls: [{ function: { arguments: `{"q": ${R}` } }] }] }),
    },
    {
      title: 'Responses function_call arguments: opened as JSON',
      adapter: openaiResponsesAdapter,
      body: JSON.stringify({
        input: [{ type: 'function_call', arguments: '{"k":{"SEKRET12":"SEKRET13"}}' }],
      }),
      expected: JSON.stringify({ input: [{ type: 'function_call', arguments: `{"k":{"${R}":"${R}"}}` }] }),
    },
    {
      title: 'OpenAI image_url.url with a base64 data URL: media, left alone',
      adapter: openaiChatAdapter,
      body: JSON.stringify({
        messages: [{ content: [{ type: 'image_url', image_url: { url: BASE64_IMAGE } }] }],
      }),
      expected: JSON.stringify({
        messages: [{ content: [{ type: 'image_url', image_url: { url: BASE64_IMAGE } }] }],
      }),
    },
    {
      title: 'OpenAI image_url.url with an https URL: not base64, so scanned',
      adapter: openaiChatAdapter,
      body: JSON.stringify({
        messages: [{ content: [{ image_url: { url: 'https://img.test/a.png?sig=SEKRET14' } }] }],
      }),
      expected: JSON.stringify({
        messages: [{ content: [{ image_url: { url: `https://img.test/a.png?sig=${R}` } }] }],
      }),
    },
    {
      title: 'a data URL in a text field: text is always scanned',
      adapter: openaiChatAdapter,
      body: JSON.stringify({ messages: [{ content: BASE64_IMAGE }] }),
      expected: JSON.stringify({ messages: [{ content: BASE64_IMAGE.replace('SEKRET1', R) }] }),
    },
    {
      title: 'Ollama images[i]: long bare base64 is media',
      adapter: ollamaChatAdapter,
      body: JSON.stringify({ messages: [{ content: 'SEKRET15', images: [BARE_MEDIA] }] }),
      expected: JSON.stringify({ messages: [{ content: R, images: [BARE_MEDIA] }] }),
    },
    {
      title: 'Ollama images[i]: a short token is not media, so scanned',
      adapter: ollamaChatAdapter,
      body: JSON.stringify({ messages: [{ images: ['SEKRET16'] }] }),
      expected: JSON.stringify({ messages: [{ images: [R] }] }),
    },
    {
      title: 'Anthropic document with a text source: scanned; base64 image source: left alone',
      adapter: anthropicMessagesAdapter,
      body: JSON.stringify({
        messages: [
          {
            content: [
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc SEKRET17' } },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: BARE_MEDIA } },
            ],
          },
        ],
      }),
      expected: JSON.stringify({
        messages: [
          {
            content: [
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: `doc ${R}` } },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: BARE_MEDIA } },
            ],
          },
        ],
      }),
    },
    {
      title: 'Gemini inlineData.data is media; functionCall args and systemInstruction are text',
      adapter: geminiGenerateAdapter,
      body: JSON.stringify({
        systemInstruction: { parts: [{ text: 'SEKRET18' }] },
        contents: [
          {
            parts: [
              { inlineData: { mimeType: 'image/png', data: BARE_MEDIA } },
              { functionCall: { name: 'f', args: { a: ['SEKRET19'] } } },
            ],
          },
        ],
      }),
      expected: JSON.stringify({
        systemInstruction: { parts: [{ text: R }] },
        contents: [
          {
            parts: [
              { inlineData: { mimeType: 'image/png', data: BARE_MEDIA } },
              { functionCall: { name: 'f', args: { a: [R] } } },
            ],
          },
        ],
      }),
    },
    {
      title: 'a generic path: every string is text, media-looking or not',
      body: JSON.stringify({ url: BASE64_IMAGE, images: [BARE_MEDIA] }),
      expected: JSON.stringify({
        url: BASE64_IMAGE.replace('SEKRET1', R),
        images: [BARE_MEDIA.replace('SEKRET9', R)],
      }),
    },
  ];

  it.each(cases)('$title', ({ adapter, body, expected }) => {
    JSON.parse(body);
    const out = scan(body, adapter);
    expect(out.text).toBe(expected);
    expect(out.changed).toBe(expected !== body);
    expect(() => JSON.parse(out.text)).not.toThrow();
  });

  it('returns the very same buffer when nothing is found', () => {
    const out = scan(
      '{ "model":"gpt-4o", "messages":[{"content":"nothing here","n":-0}] }',
      openaiChatAdapter,
    );
    expect(out.changed).toBe(false);
    expect(out.body).toBe(out.input);
    expect(out.findings).toEqual([]);
  });

  it('reports one finding per occurrence, with rule, category and action', () => {
    const out = scan('{"a":"SEKRET1 SEKRET2","SEKRET3":["x","SEKRET4"]}');
    expect(out.findings).toHaveLength(4);
    expect(out.findings[0]).toEqual({ rule: 'test-secret', category: 'secret', action: 'redact' });
    expect(out.blocked).toBeUndefined();
  });

  it('reports the first finding whose action is block', () => {
    const out = scan('{"a":"SEKRET1","b":"please BLOCKME","c":"BLOCKME"}');
    expect(out.blocked).toEqual({ rule: 'test-block', category: 'custom', action: 'block' });
    expect(out.findings.filter((f) => f.action === 'block')).toHaveLength(2);
  });

  it('collects the top-level scalars (model, stream) as they were sent', () => {
    const out = scan(
      '{"model":"gpt-4o","stream":true,"n":2,"messages":[{"model":"inner"}]}',
      openaiChatAdapter,
    );
    expect(Object.fromEntries(out.topLevel)).toEqual({ model: 'gpt-4o', stream: true, n: 2 });
  });

  it('never asks the detector about empty strings', () => {
    const seen: string[] = [];
    scan('{"":"","a":["",""],"b":"x"}', genericJsonAdapter, stubDetector(seen));
    expect(seen).not.toContain('');
    expect(seen).toEqual(expect.arrayContaining(['a', 'b', 'x']));
  });

  it('throws JsonSyntaxError for a body that is not JSON, so the caller scans it as text', () => {
    for (const body of ['{"a":"SEKRET1"', '{"a":1} trailing', 'plain SEKRET1', String.raw`{"a":"\q"}`]) {
      expect(() => scan(body), body).toThrow(JsonSyntaxError);
    }
  });

  it('refuses nesting deeper than 256 as a JsonSyntaxError', () => {
    const deep = `${'['.repeat(300)}"SEKRET1"${']'.repeat(300)}`;
    expect(() => scan(deep)).toThrow(JsonSyntaxError);
    const ok = `${'['.repeat(200)}"SEKRET1"${']'.repeat(200)}`;
    expect(scan(ok).text).toBe(`${'['.repeat(200)}"${R}"${']'.repeat(200)}`);
  });

  it('scans a 1 MB string in linear time', () => {
    const make = (n: number): string => JSON.stringify({ content: `${'word '.repeat(n / 5)}SEKRET1` });
    const time = (body: string): number => {
      const t0 = performance.now();
      expect(scan(body).text.endsWith(`${R}"}`)).toBe(true);
      return performance.now() - t0;
    };
    const small = make(1 << 20);
    const large = make(8 << 20);
    time(small); // warm up
    const tSmall = Math.min(time(small), time(small));
    const tLarge = Math.min(time(large), time(large));
    expect(tSmall).toBeLessThan(1000);
    // Eight times the input: about eight times the time if linear, sixty-four if quadratic.
    expect(tLarge).toBeLessThan(Math.max(tSmall * 24, 200));
  });
});

describe('scanJsonBody with the real detectors', () => {
  const detector = createDetector();

  it('finds an AWS key whose first letter is a \\u escape and a URL password behind \\/ escapes', () => {
    const body = `{"messages":[{"content":"\\u0041${AWS_KEY.slice(1)}"},{"content":"${DB_URL.replace(/\//g, '\\/')}"}]}`;
    const out = scanJsonBody(Buffer.from(body), openaiChatAdapter, detector);
    const text = out.body.toString('utf8');
    expect(text).toContain('[REDACTED:aws-access-key-id]');
    expect(text).not.toContain(AWS_KEY.slice(1));
    expect(text).not.toContain(URL_PASSWORD_SECRET);
    expect(out.findings.map((f) => f.rule).sort()).toEqual(['aws-access-key-id', 'url-credentials']);
  });

  it('leaves hashes, UUIDs, git SHAs and numbers alone', () => {
    const body = Buffer.from(
      JSON.stringify({
        messages: [
          {
            content:
              'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 uuid 3f2504e0-4f89-11d3-9a0c-0305e82c3301 commit 9fceb02d0ae598e95dc970b74767f19372d61af8 pi 3.14159 eps 1e-7',
          },
        ],
      }),
    );
    const out = scanJsonBody(body, openaiChatAdapter, detector);
    expect(out.findings).toEqual([]);
    expect(out.body).toBe(body);
  });
});

describe('scanTextBody', () => {
  it('redacts plain text and returns the same buffer when it is clean', () => {
    const dirty = Buffer.from('a SEKRET1 b\n');
    expect(scanTextBody(dirty, stubDetector()).body.toString()).toBe(`a ${R} b\n`);
    const clean = Buffer.from('nothing\n');
    const out = scanTextBody(clean, stubDetector());
    expect(out.body).toBe(clean);
    expect(out.changed).toBe(false);
  });
});

describe('isBase64Media', () => {
  const cases: [string, string, boolean][] = [
    ['a base64 PNG data URL', 'data:image/png;base64,iVBORw0KGgo=', true],
    ['a data URL with parameters', 'data:audio/wav;codecs=1;base64,UklGRg==', true],
    ['long bare base64', 'QUJD'.repeat(80), true],
    ['base64 with line breaks', `${'QUJD'.repeat(40)}\n${'QUJD'.repeat(40)}`, true],
    ['short bare base64 (could be a token)', 'QUJDREVG', false],
    ['an https URL', 'https://example.test/a.png', false],
    ['a data URL that is not base64', 'data:text/plain,hello world', false],
    ['a base64 data URL whose payload is not base64', 'data:image/png;base64,not base64 at all!', false],
    ['prose', 'The quick brown fox '.repeat(20), false],
  ];
  it.each(cases)('%s → %s', (_title, value, expected) => {
    expect(isBase64Media(value)).toBe(expected);
  });
});
