/**
 * Hostile HTTP at the proxy edge, on the proxy port and inside an intercepted TLS tunnel: malformed
 * requests, request smuggling, oversized headers and slow clients. Each case: the client gets a clear
 * error, nothing unscanned reaches the provider, and the daemon still serves afterwards.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { proxyAgent, resetRecorded } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  bodyOf,
  chatJson,
  expectNoSecretForwarded,
  expectStillServing,
  openTlsTunnel,
  rawIntercepted,
  rawProxy,
  statusOf,
  statusesOf,
} from '../support/hostile.js';
import { AWS_KEY, EMAIL } from '../support/secrets.js';

let h: Harness;
let agent: ProxyAgent;

beforeAll(async () => {
  h = await startHarness();
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

const SECRET_BODY = chatJson(`deploy with ${AWS_KEY} and tell ${EMAIL}`);
const LEN = Buffer.byteLength(SECRET_BODY);

/** A request head for the intercepted tunnel (origin-form) with `extra` header lines. */
function head(extra: string[], path = '/v1/chat/completions'): string {
  return [
    `POST ${path} HTTP/1.1`,
    'Host: api.openai.com',
    'Content-Type: application/json',
    'Authorization: Bearer sk-test',
    ...extra,
    '',
    '',
  ].join('\r\n');
}

/** The same for the proxy port (absolute-form, with the proxy credential). */
function proxyHead(extra: string[]): string {
  return [
    'POST http://api.openai.com/v1/chat/completions HTTP/1.1',
    'Host: api.openai.com',
    `Proxy-Authorization: ${h.proxyAuthorization}`,
    'Content-Type: application/json',
    ...extra,
    '',
    '',
  ].join('\r\n');
}

function chunked(body: string): string {
  return `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
}

describe('malformed HTTP', () => {
  it('answers bytes that are not HTTP with 400 naming llmgate and closes the connection', async () => {
    resetRecorded(h);
    const reply = await rawProxy(h, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0x00, 0x00, 0x00]));
    expect(statusOf(reply)).toBe(400);
    expect(bodyOf(reply)).toContain('llmgate');
    expect(bodyOf(reply)).toContain('LG_PROXY_BAD_REQUEST');
    expect(reply.closed).toBe(true);
  });

  it.each([
    ['a space in the method', `PO ST /x HTTP/1.1\r\nHost: a\r\n\r\n`],
    ['a control character in a header value', `GET /x HTTP/1.1\r\nHost: a\r\nX-A: b\x01c\r\n\r\n`],
    ['a header without a colon', `GET /x HTTP/1.1\r\nHost: a\r\nNoColonHere\r\n\r\n`],
    ['an unknown HTTP version', `GET /x HTTP/7.3\r\nHost: a\r\n\r\n`],
    ['an obsolete folded header', `GET /x HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n`],
  ])('answers a request with %s with 400 on the proxy port and in the tunnel', async (_name, request) => {
    resetRecorded(h);
    for (const reply of [await rawProxy(h, request), await rawIntercepted(h, request)]) {
      expect(statusOf(reply)).toBe(400);
      expect(bodyOf(reply)).toContain('LG_PROXY_BAD_REQUEST');
    }
    expect(h.provider.requests).toHaveLength(0);
  });

  it('answers a chunk size that overflows with 400 and forwards nothing of the body', async () => {
    resetRecorded(h);
    const reply = await rawIntercepted(
      h,
      `${head(['Transfer-Encoding: chunked'])}ffffffffffffffffffff\r\n${SECRET_BODY}\r\n0\r\n\r\n`,
    );
    expect(statusOf(reply)).toBe(400);
    expect(h.provider.requests).toHaveLength(0);
  });

  it('never forwards a body whose client stops half-way, and keeps serving', async () => {
    resetRecorded(h);
    const socket = await openTlsTunnel(h);
    socket.write(`${head([`Content-Length: ${LEN}`])}${SECRET_BODY.slice(0, LEN - 20)}`);
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(h.provider.requests).toHaveLength(0);
  });
});

describe('request smuggling', () => {
  it('refuses Content-Length together with Transfer-Encoding: chunked with 400, in the tunnel and on the proxy port', async () => {
    resetRecorded(h);
    const body = chunked(SECRET_BODY);
    const tunnel = await rawIntercepted(
      h,
      `${head([`Content-Length: 4`, 'Transfer-Encoding: chunked'])}${body}`,
    );
    const port = await rawProxy(
      h,
      `${proxyHead([`Content-Length: 4`, 'Transfer-Encoding: chunked'])}${body}`,
    );
    for (const reply of [tunnel, port]) {
      expect(statusOf(reply)).toBe(400);
      expect(reply.closed).toBe(true);
    }
    expect(h.provider.requests).toHaveLength(0);
  });

  it('refuses two different Content-Length headers with 400', async () => {
    resetRecorded(h);
    const reply = await rawIntercepted(
      h,
      `${head([`Content-Length: ${LEN}`, 'Content-Length: 5'])}${SECRET_BODY}`,
    );
    expect(statusOf(reply)).toBe(400);
    expect(h.provider.requests).toHaveLength(0);
  });

  it.each([
    ['Transfer-Encoding: xchunked'],
    ['Transfer-Encoding: chunked, identity'],
    ['Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip'],
  ])('refuses an obfuscated transfer coding (%s) with 400', async (te) => {
    resetRecorded(h);
    const reply = await rawIntercepted(h, `${head([te])}${chunked(SECRET_BODY)}`);
    expect(statusOf(reply)).toBe(400);
    expect(h.provider.requests).toHaveLength(0);
  });

  it('scans a request hidden behind a short Content-Length as a request of its own', async () => {
    // The first request's declared body ends early; the rest is a second request carrying a secret. A proxy
    // that forwarded bytes rather than requests would let the second one through unscanned.
    resetRecorded(h);
    const first = chatJson('hi');
    const second = `${head([`Content-Length: ${LEN}`, 'Connection: close'])}${SECRET_BODY}`;
    const reply = await rawIntercepted(
      h,
      `${head([`Content-Length: ${Buffer.byteLength(first)}`])}${first}${second}`,
    );
    expect(statusesOf(reply)).toEqual([200, 200]);
    expect(h.provider.requests).toHaveLength(2);
    const forwarded = h.provider.requests[1]!.body.toString('utf8');
    expect(forwarded).toContain('[REDACTED:');
    expect(forwarded).not.toContain(AWS_KEY);
  });

  it('never forwards the client Transfer-Encoding or its Content-Length to the provider', async () => {
    resetRecorded(h);
    const reply = await rawIntercepted(
      h,
      `${head(['Transfer-Encoding: chunked', 'Connection: close'])}${chunked(SECRET_BODY)}`,
    );
    expect(statusOf(reply)).toBe(200);
    const [received] = h.provider.requests;
    expect(received!.headers['transfer-encoding']).toBeUndefined();
    // The provider gets the length of what it actually receives (the redacted body).
    expect(Number(received!.headers['content-length'])).toBe(received!.body.length);
  });
});

describe('oversized headers', () => {
  it('answers a 64 KiB header with 431 and a hint, in the tunnel and on the proxy port', async () => {
    resetRecorded(h);
    const big = `X-Big: ${'a'.repeat(64 * 1024)}`;
    for (const reply of [
      await rawIntercepted(h, `${head([big, `Content-Length: ${LEN}`])}${SECRET_BODY}`),
      await rawProxy(h, `${proxyHead([big, `Content-Length: ${LEN}`])}${SECRET_BODY}`),
    ]) {
      expect(statusOf(reply)).toBe(431);
      expect(bodyOf(reply)).toContain('LG_PROXY_BAD_REQUEST');
      expect(reply.closed).toBe(true);
    }
    expect(h.provider.requests).toHaveLength(0);
  });

  it('answers ten thousand small headers with 431', async () => {
    resetRecorded(h);
    const many = Array.from({ length: 10_000 }, (_, i) => `X-H${i}: v`);
    const reply = await rawIntercepted(h, `${head([...many, `Content-Length: ${LEN}`])}${SECRET_BODY}`);
    expect(statusOf(reply)).toBe(431);
    expect(h.provider.requests).toHaveLength(0);
  });
});

describe('slow clients', () => {
  it('keeps serving others while 100 clients dribble their headers, and forwards nothing of theirs', async () => {
    resetRecorded(h);
    const request = `${head([`Content-Length: ${LEN}`])}${SECRET_BODY}`;
    const slow: net.Socket[] = [];
    for (let i = 0; i < 50; i++) {
      const s = net.connect({ host: '127.0.0.1', port: h.daemon.port });
      s.on('error', () => {});
      slow.push(s);
    }
    for (let i = 0; i < 50; i++) {
      const s = await openTlsTunnel(h);
      s.on('error', () => {});
      slow.push(s);
    }
    const rss = process.memoryUsage().rss;
    // Send the request a few bytes at a time, never finishing it.
    const plainRequest = `${proxyHead([`Content-Length: ${LEN}`])}${SECRET_BODY}`;
    for (let step = 0; step < 10; step++) {
      slow.forEach((s, i) => s.write((i < 50 ? plainRequest : request).slice(step * 3, step * 3 + 3)));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(h.provider.requests).toHaveLength(0);
    await expectStillServing(h, agent);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    for (const s of slow) s.destroy();
  });
});
