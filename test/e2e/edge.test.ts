/**
 * The proxy edge with real clients: proxy authentication, blind tunnels for other hosts, bodies that must be
 * decoded before they can be scanned (or refused), size limits, base-URL mode, plain-HTTP proxying and an
 * unreachable upstream. Whatever llmgate refuses never reaches the provider.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIError } from 'openai';
import type { ProxyAgent } from 'undici';
import {
  OPENAI_TEST_KEY,
  anthropicClient,
  auditEventFor,
  closedPort,
  curl,
  curlViaProxy,
  only,
  openaiClient,
  proxyAgent,
  rawExchange,
  resetRecorded,
  send,
} from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { AWS_KEY, DB_URL, EMAIL, GITHUB_PAT } from '../support/secrets.js';
import { standInOf } from '../support/stand-ins.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const JSON_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };

let h: Harness;
let agent: ProxyAgent;
let tmp: string;

beforeAll(async () => {
  h = await startHarness();
  agent = proxyAgent(h);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lg-edge-'));
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function chatBody(content: string): string {
  return JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] });
}

/** A 4xx/5xx body in OpenAI's error shape, carrying llmgate's rule. */
function expectOpenAiRefusal(body: Buffer, rule: string): void {
  const parsed = JSON.parse(body.toString('utf8')) as {
    error: { message: string; type: string; code: string };
    llmgate: { rule: string; code: string; reason: string; requestId: string };
  };
  expect(parsed.error.code).toBe(rule);
  expect(parsed.error.type).toBe('invalid_request_error');
  expect(parsed.error.message).toContain(`rule ${rule}`);
  expect(parsed.llmgate.rule).toBe(rule);
  expect(parsed.llmgate.requestId).toMatch(/^[0-9a-f-]{36}$/);
}

describe('proxy authentication', () => {
  it('answers a plain-HTTP proxy request without credentials with 407 and a one-line hint', async () => {
    resetRecorded(h);
    const res = await curl([
      '--proxy',
      h.env.proxyUrl,
      '-H',
      'content-type: application/json',
      '--data-binary',
      chatBody(`key ${AWS_KEY}`),
      'http://api.openai.com/v1/chat/completions',
    ]);
    expect(res.status).toBe(407);
    const hint = res.body.toString('utf8');
    expect(hint).toContain('proxy credentials required');
    expect(hint).toContain('llmgate env');
    expect(hint.trim().split('\n')).toHaveLength(1);
    expect(h.provider.requests).toHaveLength(0);
  });

  it('answers an HTTPS CONNECT from curl without credentials with 407', async () => {
    const res = await curl(['--proxy', h.env.proxyUrl, '--cacert', h.env.caCertPath, CHAT]);
    expect(res.connectStatus).toBe(407);
    expect(res.exitCode).not.toBe(0);
  });

  it('answers a raw CONNECT without credentials with 407, Proxy-Authenticate and the hint', async () => {
    const reply = await rawExchange(
      h.daemon.port,
      'CONNECT api.openai.com:443 HTTP/1.1\r\nHost: api.openai.com:443\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 407 /);
    expect(reply).toMatch(/\r\nProxy-Authenticate: Basic realm="llmgate"\r\n/i);
    expect(reply).toContain('llmgate env');
  });

  it('answers CONNECT with a wrong password with 407, from curl and raw', async () => {
    const wrong = `http://llmgate:not-the-credential@127.0.0.1:${h.daemon.port}`;
    const res = await curl(['--proxy', wrong, '--cacert', h.env.caCertPath, CHAT]);
    expect(res.connectStatus).toBe(407);
    const basic = Buffer.from('llmgate:not-the-credential').toString('base64');
    const reply = await rawExchange(
      h.daemon.port,
      `CONNECT api.openai.com:443 HTTP/1.1\r\nHost: api.openai.com:443\r\nProxy-Authorization: Basic ${basic}\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 407 /);
  });

  it('answers a raw CONNECT with the right credentials with 200', async () => {
    const reply = await rawExchange(
      h.daemon.port,
      `CONNECT api.openai.com:443 HTTP/1.1\r\nHost: api.openai.com:443\r\nProxy-Authorization: ${h.proxyAuthorization}\r\n\r\n`,
      500,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('hosts that are not providers', () => {
  it('are tunnelled with their own certificate, bytes untouched, and counted as tunnels', async () => {
    const fakeCa = path.join(tmp, 'fake-ca.pem');
    await writeFile(fakeCa, h.pki.caPem);
    const before = h.daemon.status().counters.tunnels;
    resetRecorded(h);
    const sent = `{"note":"not an LLM call","key":"${AWS_KEY}", "n": -0}`;
    const url = `https://localhost:${h.provider.port}/some/api`;
    const ok = await curl(
      [
        '--proxy',
        h.env.proxyUrlWithCredentials,
        '--cacert',
        fakeCa,
        '-H',
        'content-type: application/json',
        '--data-binary',
        '@-',
        url,
      ],
      sent,
    );
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString('utf8'))).toEqual({ ok: true, echo: '/some/api' });
    // The body, secret included, arrives exactly as sent: llmgate did not look inside the tunnel.
    expect(only(h).body.equals(Buffer.from(sent))).toBe(true);
    expect(only(h).headers['proxy-authorization']).toBeUndefined();

    // With llmgate's CA instead, the certificate does not verify: it is the host's own, not a minted one.
    const refused = await curl(['--proxy', h.env.proxyUrlWithCredentials, '--cacert', h.env.caCertPath, url]);
    expect(refused.exitCode).toBe(60);
    expect(h.daemon.status().counters.tunnels).toBe(before + 2);
  });

  it('get a 502 from the proxy when they cannot be reached', async () => {
    const port = await closedPort();
    const reply = await rawExchange(
      h.daemon.port,
      `CONNECT localhost:${port} HTTP/1.1\r\nHost: localhost:${port}\r\nProxy-Authorization: ${h.proxyAuthorization}\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 502 /);
  });
});

describe('compressed and unusual request bodies', () => {
  it('decodes a gzip body sent by curl, scans it, and forwards the redacted plain body', async () => {
    resetRecorded(h);
    const file = path.join(tmp, 'body.json.gz');
    await writeFile(file, zlib.gzipSync(Buffer.from(chatBody(`key ${AWS_KEY} mail ${EMAIL}`))));
    const res = await curl([
      ...curlViaProxy(h),
      '-H',
      'content-type: application/json',
      '-H',
      'Content-Encoding: gzip',
      '--data-binary',
      `@${file}`,
      CHAT,
    ]);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.status).toBe(200);
    const got = only(h);
    expect(got.headers['content-encoding']).toBeUndefined();
    const text = got.body.toString('utf8');
    expect(JSON.parse(text)).toMatchObject({
      messages: [
        { content: expect.stringMatching(/^key \[REDACTED:aws-access-key-id\] mail \[\[email_\w+\]\]$/) },
      ],
    });
    expect(text).not.toContain(AWS_KEY);
  });

  it.each([
    ['deflate', (b: Buffer) => zlib.deflateSync(b)],
    ['br', (b: Buffer) => zlib.brotliCompressSync(b)],
    ['gzip, br (a chain)', (b: Buffer) => zlib.brotliCompressSync(zlib.gzipSync(b))],
  ] as const)('decodes a %s body and forwards it redacted', async (encoding, encode) => {
    resetRecorded(h);
    const res = await send(agent, CHAT, {
      headers: { ...JSON_HEADERS, 'content-encoding': encoding.replace(' (a chain)', '') },
      body: encode(Buffer.from(chatBody(`pat ${GITHUB_PAT}`))),
    });
    expect(res.status).toBe(200);
    const text = only(h).body.toString('utf8');
    expect(text).toContain('[REDACTED:github-pat]');
    expect(text).not.toContain(GITHUB_PAT);
  });

  it('forwards a compressed body with nothing to redact as the client sent it', async () => {
    resetRecorded(h);
    const gz = zlib.gzipSync(Buffer.from(chatBody('nothing secret here')));
    const res = await send(agent, CHAT, {
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body: gz,
    });
    expect(res.status).toBe(200);
    expect(only(h).headers['content-encoding']).toBe('gzip');
    expect(only(h).body.equals(gz)).toBe(true);
  });

  it.each([
    ['Content-Encoding: zstd', 'zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x61, 0x00])],
    ['garbage labelled gzip', 'gzip', Buffer.from(`not gzip at all ${AWS_KEY}`)],
    ['a truncated gzip stream', 'gzip', zlib.gzipSync(Buffer.from(chatBody(`k ${AWS_KEY}`))).subarray(0, 20)],
  ])('refuses %s with 415 in OpenAI error shape naming unscannable-body', async (_title, encoding, body) => {
    resetRecorded(h);
    const res = await send(agent, CHAT, { headers: { ...JSON_HEADERS, 'content-encoding': encoding }, body });
    expect(res.status).toBe(415);
    expect(res.headers.get('x-llmgate-rule')).toBe('unscannable-body');
    expectOpenAiRefusal(res.body, 'unscannable-body');
    expect(h.provider.requests).toHaveLength(0);
  });

  it('refuses an application/octet-stream body with 415 and never forwards it', async () => {
    resetRecorded(h);
    const res = await send(agent, CHAT, {
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${OPENAI_TEST_KEY}` },
      body: Buffer.from(`raw bytes with ${AWS_KEY}`),
    });
    expect(res.status).toBe(415);
    expectOpenAiRefusal(res.body, 'unscannable-body');
    expect(h.provider.requests).toHaveLength(0);
  });

  it('refuses a body it cannot scan in the Anthropic error shape on an Anthropic route', async () => {
    resetRecorded(h);
    const res = await send(agent, 'https://api.anthropic.com/v1/messages', {
      headers: { 'content-type': 'application/octet-stream', 'x-api-key': 'k' },
      body: Buffer.from('\x00\x01\x02'),
    });
    expect(res.status).toBe(415);
    const parsed = JSON.parse(res.body.toString('utf8')) as {
      type: string;
      error: { type: string };
      llmgate: { rule: string };
    };
    expect(parsed.type).toBe('error');
    expect(parsed.error.type).toBe('invalid_request_error');
    expect(parsed.llmgate.rule).toBe('unscannable-body');
    expect(h.provider.requests).toHaveLength(0);
  });

  it('refuses a body that is not valid UTF-8 with 415', async () => {
    resetRecorded(h);
    const body = Buffer.concat([
      Buffer.from('{"messages":[{"content":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${AWS_KEY}"}]}`),
    ]);
    const res = await send(agent, CHAT, { headers: JSON_HEADERS, body });
    expect(res.status).toBe(415);
    expect(h.provider.requests).toHaveLength(0);
  });

  it('refuses malformed JSON with 400 invalid-json and forwards nothing', async () => {
    resetRecorded(h);
    const sent = `{"model":"gpt-4o","messages":[{"role":"user","content":"db ${DB_URL} key ${AWS_KEY}"}`; // truncated
    const res = await send(agent, CHAT, { headers: JSON_HEADERS, body: sent });
    expect(res.status).toBe(400);
    expectOpenAiRefusal(res.body, 'invalid-json');
    expect(res.body.toString('utf8')).not.toContain(AWS_KEY);
    expect(h.provider.requests).toHaveLength(0);
  });

  it('refuses JSON a lenient parser would accept but llmgate cannot walk (NaN, BOM, trailing data)', async () => {
    const escaped = AWS_KEY.replace('A', '\\u0041');
    for (const sent of [
      `{"model":"gpt-4o","temperature":NaN,"messages":[{"role":"user","content":"${escaped}"}]}`,
      `\ufeff{"model":"gpt-4o","messages":[{"role":"user","content":"${escaped}"}]}`,
      `{"model":"gpt-4o","messages":[{"role":"user","content":"${escaped}"}]} trailing`,
    ]) {
      resetRecorded(h);
      const res = await send(agent, CHAT, { headers: JSON_HEADERS, body: sent });
      expect(res.status).toBe(400);
      expect(h.provider.requests).toHaveLength(0);
    }
  });

  it('refuses a UTF-16 body (valid UTF-8 byte by byte, but it hides secrets) with 415', async () => {
    resetRecorded(h);
    const body = Buffer.from(chatBody(`key ${AWS_KEY}`), 'utf16le');
    const res = await send(agent, CHAT, { headers: JSON_HEADERS, body });
    expect(res.status).toBe(415);
    expectOpenAiRefusal(res.body, 'unscannable-body');
    expect(h.provider.requests).toHaveLength(0);
  });

  it('refuses a text/plain body that is malformed JSON rather than scanning it as prose', async () => {
    resetRecorded(h);
    const res = await send(agent, CHAT, {
      headers: { ...JSON_HEADERS, 'content-type': 'text/plain' },
      body: `{"messages":[{"content":"${AWS_KEY.replace('A', '\\u0041')}"}]} x`,
    });
    expect(res.status).toBe(400);
    expect(h.provider.requests).toHaveLength(0);
  });

  it('scans a text/plain body as text', async () => {
    resetRecorded(h);
    await send(agent, 'https://api.openai.com/v1/unknown/endpoint', {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: `line one\nkey ${AWS_KEY}\n`,
    });
    expect(only(h).body.toString('utf8')).toBe('line one\nkey [REDACTED:aws-access-key-id]\n');
  });
});

describe('base-URL mode', () => {
  it('redacts requests from the OpenAI SDK pointed at the base URL, without a proxy agent', async () => {
    resetRecorded(h);
    const reply = await openaiClient({ baseURL: h.env.baseUrls.openai }).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: `key ${AWS_KEY}` }],
    });
    expect(reply.choices[0]?.message.content).toBe('hello from fake');
    const got = only(h);
    expect(got.url).toBe('/v1/chat/completions');
    expect(got.body.toString('utf8')).toContain('[REDACTED:aws-access-key-id]');
    expect(got.body.toString('utf8')).not.toContain(AWS_KEY);
    expect(got.headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`);
    // The path token (the proxy credential) stays with llmgate.
    const token = new URL(h.env.proxyUrlWithCredentials).password;
    expect(got.url).not.toContain(token);
    expect(JSON.stringify(got.headers)).not.toContain(token);
  });

  it('redacts requests from the Anthropic SDK pointed at the base URL', async () => {
    resetRecorded(h);
    await anthropicClient({ baseURL: h.env.baseUrls.anthropic }).messages.create({
      model: 'claude-test-model',
      max_tokens: 8,
      messages: [{ role: 'user', content: `mail ${EMAIL}` }],
    });
    expect(only(h).url).toBe('/v1/messages');
    expect(only(h).body.toString('utf8')).toMatch(standInOf('email'));
  });

  it('answers a wrong path token with 401 and forwards nothing', async () => {
    resetRecorded(h);
    const wrong = h.env.baseUrls.openai!.replace(/\/t\/[^/]+\//, '/t/wrong-token/');
    const error = await openaiClient({ baseURL: wrong })
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(401);
    expect(h.provider.requests).toHaveLength(0);
  });
});

describe('plain-HTTP absolute-form requests to a provider host', () => {
  it('go through the pipeline and are redacted; the proxy credential is not forwarded', async () => {
    resetRecorded(h);
    const res = await curl(
      [
        '--proxy',
        h.env.proxyUrlWithCredentials,
        '-H',
        'content-type: application/json',
        '-H',
        `authorization: Bearer ${OPENAI_TEST_KEY}`,
        '--data-binary',
        '@-',
        'http://api.openai.com/v1/chat/completions',
      ],
      chatBody(`key ${AWS_KEY}`),
    );
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.status).toBe(200);
    const got = only(h);
    expect(got.url).toBe('/v1/chat/completions');
    expect(got.body.toString('utf8')).toContain('[REDACTED:aws-access-key-id]');
    expect(got.body.toString('utf8')).not.toContain(AWS_KEY);
    expect(got.headers['proxy-authorization']).toBeUndefined();
    expect(got.headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`);
  });
});

describe('with a 2 KiB body limit and an unreachable upstream', () => {
  let small: Harness;
  let smallAgent: ProxyAgent;

  beforeAll(async () => {
    const down = `https://127.0.0.1:${await closedPort()}`;
    small = await startHarness(
      { proxy: { port: 0, maxBodyBytes: 2048 } },
      { upstreams: { 'api.anthropic.com': down, 'generativelanguage.googleapis.com': down } },
    );
    smallAgent = proxyAgent(small);
  });

  afterAll(async () => {
    await smallAgent?.close();
    await small?.close();
  });

  const big = chatBody('x'.repeat(3000));

  it('answers a body over proxy.maxBodyBytes with 413 and forwards nothing', async () => {
    const res = await send(smallAgent, CHAT, { headers: JSON_HEADERS, body: big });
    expect(res.status).toBe(413);
    expectOpenAiRefusal(res.body, 'body-too-large');
    expect(small.provider.requests).toHaveLength(0);
  });

  it('answers a chunked body over the limit with 413 (no Content-Length to trust)', async () => {
    const res = await curl(
      [
        ...curlViaProxy(small),
        '-H',
        'content-type: application/json',
        '-H',
        'Transfer-Encoding: chunked',
        '--data-binary',
        '@-',
        CHAT,
      ],
      big,
    );
    expect(res.status).toBe(413);
    expect(small.provider.requests).toHaveLength(0);
  });

  it('answers a small gzip body that inflates past the limit with 413', async () => {
    const bomb = zlib.gzipSync(Buffer.from(chatBody('a'.repeat(200_000))));
    expect(bomb.length).toBeLessThan(2048);
    const res = await send(smallAgent, CHAT, {
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(res.status).toBe(413);
    expect(small.provider.requests).toHaveLength(0);
  });

  it('answers an unreachable upstream with 502 upstream-unreachable in the Anthropic shape', async () => {
    const before = small.daemon.status().counters.errors;
    const res = await send(smallAgent, 'https://api.anthropic.com/v1/messages', {
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({
        model: 'claude-test-model',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(res.status).toBe(502);
    const parsed = JSON.parse(res.body.toString('utf8')) as {
      type: string;
      error: { type: string; message: string };
      llmgate: { rule: string; code: string };
    };
    expect(parsed.type).toBe('error');
    expect(parsed.error.type).toBe('api_error');
    expect(parsed.error.message).toContain('upstream-unreachable');
    expect(parsed.llmgate).toMatchObject({ rule: 'upstream-unreachable', code: 'LG_PROXY_UPSTREAM_FAILED' });
    expect(small.daemon.status().counters.errors).toBe(before + 1);
    const event = await auditEventFor(small, res.headers.get('x-llmgate-request-id')!);
    expect(event.status).toBe(502);
    expect(event.error).not.toBeNull();
  });

  it('answers an unreachable upstream with 502 in the Gemini shape on a Gemini route', async () => {
    const res = await send(
      smallAgent,
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent',
      { body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }) },
    );
    expect(res.status).toBe(502);
    const parsed = JSON.parse(res.body.toString('utf8')) as {
      error: { code: number; status: string };
      llmgate: { rule: string };
    };
    expect(parsed.error.code).toBe(502);
    expect(parsed.llmgate.rule).toBe('upstream-unreachable');
  });
});

describe('bodies of every size and framing', () => {
  it('redacts a 1.5 MB body sent by curl with Expect: 100-continue', async () => {
    resetRecorded(h);
    const sent = chatBody(`${'lorem ipsum '.repeat(130_000)} key ${AWS_KEY}`);
    expect(sent.length).toBeGreaterThan(1_500_000);
    const res = await curl(
      [
        ...curlViaProxy(h),
        '-H',
        'content-type: application/json',
        '-H',
        'Expect: 100-continue',
        '--data-binary',
        '@-',
        CHAT,
      ],
      sent,
    );
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.status).toBe(200);
    const text = only(h).body.toString('utf8');
    expect(text).not.toContain(AWS_KEY);
    expect(text.endsWith(' key [REDACTED:aws-access-key-id]"}]}')).toBe(true);
  });

  it('redacts a chunked body (no Content-Length)', async () => {
    resetRecorded(h);
    const res = await curl(
      [
        ...curlViaProxy(h),
        '-H',
        'content-type: application/json',
        '-H',
        'Transfer-Encoding: chunked',
        '--data-binary',
        '@-',
        CHAT,
      ],
      chatBody(`key ${AWS_KEY}`),
    );
    expect(res.status).toBe(200);
    expect(only(h).body.toString('utf8')).toContain('[REDACTED:aws-access-key-id]');
  });
});

describe('provider host names however the client spells them', () => {
  it('intercepts and redacts a provider host written in upper case', async () => {
    resetRecorded(h);
    const res = await curl(
      [
        ...curlViaProxy(h),
        '-H',
        'content-type: application/json',
        '--data-binary',
        '@-',
        'https://API.OpenAI.com/v1/chat/completions',
      ],
      chatBody(`key ${AWS_KEY}`),
    );
    expect(res.status, res.stderr).toBe(200);
    expect(only(h).body.toString('utf8')).toContain('[REDACTED:aws-access-key-id]');
  });

  describe('with a non-provider host routed by upstreams', () => {
    let routed: Harness;
    beforeAll(async () => {
      routed = await startHarness({}, { upstreams: { 'llm.gateway.test': 'https://127.0.0.1:1' } });
    });
    afterAll(async () => {
      await routed?.close();
    });

    it('intercepts CONNECT to that host', async () => {
      const reply = await rawExchange(
        routed.daemon.port,
        `CONNECT llm.gateway.test:443 HTTP/1.1\r\nHost: llm.gateway.test:443\r\nProxy-Authorization: ${routed.proxyAuthorization}\r\n\r\n`,
        500,
      );
      expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    });

    it('intercepts CONNECT to that host written with a trailing dot, instead of tunnelling it blind', async () => {
      const reply = await rawExchange(
        routed.daemon.port,
        `CONNECT llm.gateway.test.:443 HTTP/1.1\r\nHost: llm.gateway.test.:443\r\nProxy-Authorization: ${routed.proxyAuthorization}\r\n\r\n`,
        500,
      );
      // A blind tunnel would try to resolve and reach the host itself (502 here, the real host elsewhere).
      expect(reply).toMatch(/^HTTP\/1\.1 200 /);
      expect(routed.daemon.status().counters.tunnels).toBe(0);
    });
  });
});

describe('protocols llmgate cannot scan yet', () => {
  it('refuses a WebSocket upgrade to a provider host with 501 and the rule, and forwards nothing', async () => {
    resetRecorded(h);
    const res = await curl([
      ...curlViaProxy(h),
      '-H',
      'Connection: Upgrade',
      '-H',
      'Upgrade: websocket',
      '-H',
      'Sec-WebSocket-Version: 13',
      '-H',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'https://api.openai.com/v1/realtime?model=gpt-realtime',
    ]);
    expect(res.status).toBe(501);
    expect(res.body.toString('utf8')).toContain('unscannable-body');
    expect(h.provider.requests).toHaveLength(0);
  });
});
