/**
 * Hostile request bodies through the real daemon: invalid and deeply nested JSON, huge strings, invalid
 * UTF-8, compression bombs, secrets hidden by JSON escapes or tucked into odd fields. Each case: a clear
 * refusal (status, llmgate rule and code) or a redacted forward, never an unscanned byte at the provider,
 * bounded memory, and a daemon that still serves.
 */
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { proxyAgent, resetRecorded, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  CHAT_HEADERS,
  CHAT_URL,
  chatJson,
  expectNoSecretForwarded,
  expectStillServing,
  parseRefusal,
} from '../support/hostile.js';
import { AWS_KEY, DB_URL, EMAIL, GITHUB_PAT, URL_PASSWORD_SECRET } from '../support/secrets.js';

/** Small enough that bombs and huge bodies are cheap to build, large enough for real requests. */
const LIMIT = 4 * 1024 * 1024;

let h: Harness;
let agent: ProxyAgent;

beforeAll(async () => {
  h = await startHarness({ proxy: { port: 0, maxBodyBytes: LIMIT } });
  agent = proxyAgent(h);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

afterEach(async () => {
  expectNoSecretForwarded(h);
  await expectStillServing(h, agent);
});

async function post(
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer }> {
  return send(agent, CHAT_URL, { headers: { ...CHAT_HEADERS, ...headers }, body });
}

/** A refusal in OpenAI's shape with llmgate's rule and code; nothing reached the provider. */
function expectRefused(
  res: { status: number; body: Buffer },
  status: number,
  rule: string,
  code: string,
): void {
  expect(res.status).toBe(status);
  const parsed = parseRefusal(res.body);
  expect(parsed.error.code).toBe(rule);
  expect(parsed.llmgate.rule).toBe(rule);
  expect(parsed.llmgate.code).toBe(code);
  expect(parsed.llmgate.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(h.provider.requests).toHaveLength(0);
}

/** The one body the provider received, as text. */
function forwarded(): string {
  expect(h.provider.requests).toHaveLength(1);
  return h.provider.requests[0]!.body.toString('utf8');
}

/** Growth of the daemon's (this process's) resident memory while `run` executes, sampled every 5 ms. */
async function peakGrowth(run: () => Promise<void>): Promise<number> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) - before;
}

describe('invalid JSON', () => {
  it.each([
    ['truncated', '{"model":"gpt-4o","messages":[{"role":"user","content":"' + AWS_KEY],
    ['single quotes', `{'model':'gpt-4o','messages':[{'role':'user','content':'${AWS_KEY}'}]}`],
    ['a trailing comma', `{"model":"gpt-4o","messages":[{"role":"user","content":"${AWS_KEY}"},]}`],
    ['a comment', `{"model":"gpt-4o", /* ${AWS_KEY} */ "messages":[]}`],
    ['two documents', `${chatJson('hi')}${chatJson(AWS_KEY)}`],
    [
      'a raw newline in a string',
      `{"model":"gpt-4o","messages":[{"role":"user","content":"a\n${AWS_KEY}"}]}`,
    ],
    ['a bad escape', `{"model":"gpt-4o","messages":[{"role":"user","content":"\\x41${AWS_KEY}"}]}`],
  ])('refuses JSON with %s with 400 invalid-json, naming no content', async (_name, body) => {
    resetRecorded(h);
    const res = await post(body);
    expectRefused(res, 400, 'invalid-json', 'LG_PIPELINE_UNSCANNABLE');
    expect(res.body.toString('utf8')).not.toContain(AWS_KEY);
  });
});

describe('deeply nested JSON', () => {
  it('refuses 500,000 nested arrays with 400 invalid-json, without overflowing the stack', async () => {
    resetRecorded(h);
    const depth = 500_000;
    const body = `{"model":"gpt-4o","messages":${'['.repeat(depth)}"${AWS_KEY}"${']'.repeat(depth)}}`;
    const res = await post(body);
    expectRefused(res, 400, 'invalid-json', 'LG_PIPELINE_UNSCANNABLE');
    expect(parseRefusal(res.body).llmgate.reason).toContain('nesting deeper than');
  });

  it('redacts a secret nested 200 objects deep (within the limit)', async () => {
    resetRecorded(h);
    const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"metadata":${'{"a":'.repeat(200)}"${AWS_KEY}"${'}'.repeat(200)}}`;
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(forwarded()).toContain('[REDACTED:aws-access-key-id]');
  });

  it('scans deeply nested tool-call arguments as text when they are too deep to walk', async () => {
    resetRecorded(h);
    const args = `${'['.repeat(100_000)}"${AWS_KEY}"${']'.repeat(100_000)}`;
    const body = JSON.stringify({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'call it' },
        {
          role: 'assistant',
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: args } }],
        },
      ],
    });
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(forwarded()).toContain('[REDACTED:aws-access-key-id]');
  });
});

describe('huge strings', () => {
  it('redacts a secret at the end of a 3 MB string with memory bounded by a few body sizes', async () => {
    resetRecorded(h);
    const filler = 'lorem ipsum dolor sit amet '.repeat(Math.floor((3 * 1024 * 1024) / 27));
    const body = chatJson(`${filler} key ${AWS_KEY} mail ${EMAIL}`);
    let res: { status: number; body: Buffer } | undefined;
    const growth = await peakGrowth(async () => {
      res = await post(body);
    });
    expect(res!.status).toBe(200);
    const out = forwarded();
    expect(out).toContain('[REDACTED:aws-access-key-id]');
    expect(out.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(growth).toBeLessThan(30 * Buffer.byteLength(body));
  });

  it('refuses a string one byte past proxy.maxBodyBytes with 413 body-too-large', async () => {
    resetRecorded(h);
    const body = chatJson(`${AWS_KEY} ${'x'.repeat(LIMIT)}`);
    const res = await post(body);
    expectRefused(res, 413, 'body-too-large', 'LG_PIPELINE_TOO_LARGE');
  });

  it('handles 300,000 tiny strings and keys in one body', async () => {
    resetRecorded(h);
    const parts = Array.from({ length: 150_000 }, (_, i) => `"k${i}":"v"`).join(',');
    const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"${AWS_KEY}"}],"metadata":{${parts}}}`;
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(forwarded()).toContain('[REDACTED:aws-access-key-id]');
  });
});

describe('invalid UTF-8', () => {
  it.each([
    ['an overlong encoding of "/"', Buffer.from([0xc0, 0xaf])],
    ['a UTF-16 surrogate encoded in UTF-8', Buffer.from([0xed, 0xa0, 0x80])],
    ['a truncated sequence', Buffer.from([0xe2, 0x82])],
    ['a 0xFF byte', Buffer.from([0xff])],
    ['a code point past U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
  ])('refuses a body with %s next to a secret with 415 unscannable-body', async (_name, bad) => {
    resetRecorded(h);
    const [before, after] = chatJson(`${AWS_KEY}#`).split('#') as [string, string];
    const body = Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]);
    expectRefused(await post(body), 415, 'unscannable-body', 'LG_PIPELINE_UNSCANNABLE');
    expectRefused(
      await post(zlib.gzipSync(body), { 'content-encoding': 'gzip' }),
      415,
      'unscannable-body',
      'LG_PIPELINE_UNSCANNABLE',
    );
  });

  it('redacts a secret next to a lone surrogate written as a JSON escape', async () => {
    resetRecorded(h);
    const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"\\ud800${AWS_KEY}\\udfff"}]}`;
    expect((await post(body)).status).toBe(200);
    expect(forwarded()).toContain('[REDACTED:aws-access-key-id]');
  });
});

describe('compression bombs', () => {
  const zeros = Buffer.alloc(256 * 1024 * 1024);
  // Leading with a secret: a decoder that gave up silently and forwarded the start would leak it.
  zeros.write(chatJson(AWS_KEY).slice(0, -3));
  const bombs: [string, string, () => Buffer][] = [
    ['gzip', 'gzip', () => zlib.gzipSync(zeros, { level: 9 })],
    ['deflate', 'deflate', () => zlib.deflateSync(zeros, { level: 9 })],
    ['raw deflate', 'deflate', () => zlib.deflateRawSync(zeros, { level: 9 })],
    [
      'brotli',
      'br',
      () => zlib.brotliCompressSync(zeros, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
    ],
    ['gzip inside gzip', 'gzip, gzip', () => zlib.gzipSync(zlib.gzipSync(zeros, { level: 9 }))],
  ];

  it.each(bombs)(
    'refuses a %s body that inflates to 256 MiB with 413, memory bounded by the limit',
    async (_name, encoding, make) => {
      resetRecorded(h);
      const bomb = make();
      expect(bomb.length).toBeLessThan(LIMIT);
      let res: { status: number; body: Buffer } | undefined;
      const growth = await peakGrowth(async () => {
        res = await post(bomb, { 'content-encoding': encoding });
      });
      expectRefused(res!, 413, 'body-too-large', 'LG_PIPELINE_TOO_LARGE');
      expect(parseRefusal(res!.body).llmgate.reason).toContain('once decompressed');
      // The decoders stop at the limit: far less than the 256 MiB the bomb expands to.
      expect(growth).toBeLessThan(64 * 1024 * 1024);
    },
  );

  it('refuses a body labelled gzip that is not gzip with 415, and an unknown coding with 415', async () => {
    resetRecorded(h);
    for (const [body, encoding] of [
      [chatJson(AWS_KEY), 'gzip'],
      [chatJson(AWS_KEY), 'zstd'],
      [chatJson(AWS_KEY), Array.from({ length: 1000 }, () => 'gzip').join(', ')],
    ] as const) {
      expectRefused(
        await post(body, { 'content-encoding': encoding }),
        415,
        'unscannable-body',
        'LG_PIPELINE_BAD_ENCODING',
      );
    }
  });
});

describe('secrets in disguise', () => {
  /** Every character as a \\u escape. */
  const escapeAll = (s: string): string =>
    [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

  it('redacts an AWS key written entirely in \\u escapes', async () => {
    resetRecorded(h);
    const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"key ${escapeAll(AWS_KEY)}"}]}`;
    expect((await post(body)).status).toBe(200);
    const out = forwarded();
    expect(out).toContain('[REDACTED:aws-access-key-id]');
    expect(JSON.parse(out)).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'key [REDACTED:aws-access-key-id]' }],
    });
  });

  it('redacts a URL password behind escaped slashes and a mixed-escape e-mail', async () => {
    resetRecorded(h);
    const url = DB_URL.replaceAll('/', '\\/');
    const mail = `${EMAIL.slice(0, 3)}${escapeAll(EMAIL.slice(3, 9))}${EMAIL.slice(9)}`;
    const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"${url} ${mail}"}]}`;
    expect((await post(body)).status).toBe(200);
    const out = forwarded();
    expect(out).not.toContain(URL_PASSWORD_SECRET);
    expect(JSON.parse(out).messages[0].content).not.toContain(EMAIL);
  });

  it('redacts a secret used as a JSON key', async () => {
    resetRecorded(h);
    const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"metadata":{"${escapeAll(GITHUB_PAT)}":1}}`;
    expect((await post(body)).status).toBe(200);
    expect(forwarded()).toContain('[REDACTED:');
  });

  it('redacts escaped secrets inside tool-call arguments (JSON inside a JSON string)', async () => {
    resetRecorded(h);
    // The inner document escapes the key again, so the outer string holds \\u0041...: two layers of escapes.
    const inner = `{"key":"${escapeAll(AWS_KEY)}","token":"${GITHUB_PAT}"}`;
    const body = JSON.stringify({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: inner } }],
        },
      ],
    });
    expect((await post(body)).status).toBe(200);
    const out = JSON.parse(forwarded()) as {
      messages: [unknown, { tool_calls: [{ function: { arguments: string } }] }];
    };
    const args = JSON.parse(out.messages[1].tool_calls[0].function.arguments) as Record<string, string>;
    expect(args.key).toBe('[REDACTED:aws-access-key-id]');
    expect(args.token).toMatch(/^\[REDACTED:/);
  });

  it('redacts secrets spread over every field of a request: names, tools, system, stop sequences', async () => {
    resetRecorded(h);
    const body = JSON.stringify({
      model: 'gpt-4o',
      user: EMAIL,
      stop: [AWS_KEY],
      messages: [
        { role: 'system', content: `ops key ${GITHUB_PAT}` },
        { role: 'user', name: 'x', content: [{ type: 'text', text: DB_URL }] },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'deploy',
            description: `uses ${AWS_KEY}`,
            parameters: { type: 'object', default: GITHUB_PAT },
          },
        },
      ],
    });
    expect((await post(body)).status).toBe(200);
    forwarded();
  });

  it('redacts a secret inside a base64 text attachment', async () => {
    resetRecorded(h);
    const file = Buffer.from(`config:\n  aws_access_key_id = ${AWS_KEY}\n`).toString('base64');
    const body = JSON.stringify({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { filename: 'a.txt', file_data: `data:text/plain;base64,${file}` } },
          ],
        },
      ],
    });
    const res = await post(body);
    expect(res.status).toBe(200);
    const out = JSON.parse(forwarded()) as { messages: [{ content: [{ file: { file_data: string } }] }] };
    const data = out.messages[0].content[0].file.file_data.split(',')[1]!;
    expect(Buffer.from(data, 'base64').toString('utf8')).toContain('[REDACTED:aws-access-key-id]');
  });
});
