/**
 * Provider faults: a provider that resets the connection before answering or in the middle of a stream,
 * or goes silent (never answers, or stops half-way through a stream). The client gets a clean error (a
 * 502 or 504 in the provider's shape, or a cut connection, never a short answer that looks complete), the
 * audit log records the failure, and the daemon keeps serving.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch as undiciFetch, type ProxyAgent } from 'undici';
import { ControlClient } from '../../core/control/index.js';
import { auditEventFor, proxyAgent } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { CHAT_HEADERS, chatJson, expectStillServing, parseRefusal } from '../support/hostile.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';
import { AWS_KEY } from '../support/secrets.js';

/** A provider that misbehaves on purpose, chosen by the request path. */
let faulty: https.Server;
let pki: TestPki;
let h: Harness;
let agent: ProxyAgent;
/** What the faulty provider received (to prove the body was redacted before it was sent). */
const received: string[] = [];

const MISTRAL = 'https://api.mistral.ai/v1/chat/completions';
/** Short on purpose (the defaults are 600 s and 300 s); the fake provider answers well within them. */
const HEADERS_TIMEOUT_S = 1;
const IDLE_TIMEOUT_S = 1;

beforeAll(async () => {
  pki = await createTestPki();
  faulty = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      const fault = req.headers['x-fault'];
      if (fault === 'reset-before-headers') {
        req.socket.destroy();
        return;
      }
      // Silent: the connection stays open and nothing is ever answered (closed by afterAll).
      if (fault === 'no-headers') return;
      if (fault === 'silent-mid-stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'one ' } }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'two ' } }] })}\n\n`);
        return;
      }
      // reset-mid-stream: two events, then the connection is cut without the stream's end.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'one ' } }] })}\n\n`);
      setTimeout(() => {
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'two ' } }] })}\n\n`);
        setTimeout(() => req.socket.destroy(), 20);
      }, 20);
    });
  });
  await new Promise<void>((resolve) => faulty.listen(0, '127.0.0.1', resolve));
  const { port } = faulty.address() as AddressInfo;
  h = await startHarness(
    {
      proxy: {
        port: 0,
        upstreamHeadersTimeoutSeconds: HEADERS_TIMEOUT_S,
        upstreamIdleTimeoutSeconds: IDLE_TIMEOUT_S,
      },
    },
    { pki, upstreams: { 'api.mistral.ai': `https://127.0.0.1:${port}` } },
  );
  agent = proxyAgent(h);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
  faulty?.closeAllConnections();
  await new Promise<void>((resolve) => (faulty ? faulty.close(() => resolve()) : resolve()));
});

/**
 * A streamed chat request (carrying a key) that the faulty provider answers with `fault`: a 200, then a
 * body that must fail rather than end as if complete. Returns what the client read before the failure.
 */
async function streamUntilCut(fault: string): Promise<{ id: string; text: string; elapsed: number }> {
  const started = Date.now();
  const res = await undiciFetch(MISTRAL, {
    method: 'POST',
    headers: { ...CHAT_HEADERS, 'x-fault': fault },
    body: JSON.stringify({
      model: 'mistral-large',
      stream: true,
      messages: [{ role: 'user', content: AWS_KEY }],
    }),
    dispatcher: agent,
  });
  expect(res.status).toBe(200);
  let text = '';
  const read = (async () => {
    for await (const chunk of res.body!) text += Buffer.from(chunk).toString('utf8');
  })();
  await expect(read).rejects.toThrow();
  return { id: res.headers.get('x-llmgate-request-id')!, text, elapsed: Date.now() - started };
}

describe('a provider that fails', () => {
  it('resetting before it answers: the client gets 502 upstream-unreachable, audited, body never sent unscanned', async () => {
    received.length = 0;
    const res = await undiciFetch(MISTRAL, {
      method: 'POST',
      headers: { ...CHAT_HEADERS, 'x-fault': 'reset-before-headers' },
      body: chatJson(`key ${AWS_KEY}`),
      dispatcher: agent,
    });
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(502);
    const refusal = parseRefusal(body);
    expect(refusal.llmgate.rule).toBe('upstream-unreachable');
    expect(refusal.llmgate.code).toBe('LG_PROXY_UPSTREAM_FAILED');
    expect(received.join('')).not.toContain(AWS_KEY);
    const event = await auditEventFor(h, res.headers.get('x-llmgate-request-id')!);
    expect(event.status).toBe(502);
    expect(event.rules).toContain('upstream-unreachable');
    await expectStillServing(h, agent);
  });

  it('resetting mid-stream: the client sees the events sent so far, then an error, and the audit records it', async () => {
    received.length = 0;
    const { id, text } = await streamUntilCut('reset-mid-stream');
    expect(text).toContain('one ');
    expect(received.join('')).not.toContain(AWS_KEY);
    const event = await auditEventFor(h, id);
    expect(event.stream).toBe(true);
    expect(event.status).toBe(200);
    expect(event.error).toBe('LG_PROXY_UPSTREAM_FAILED');
    await expectStillServing(h, agent);
  });

  it('going silent mid-stream: after the idle timeout the client has the events so far, then a cut connection', async () => {
    received.length = 0;
    // Never a clean end, and only once the provider was silent for the idle timeout.
    const { id, text, elapsed } = await streamUntilCut('silent-mid-stream');
    expect(elapsed).toBeGreaterThanOrEqual(IDLE_TIMEOUT_S * 1000 - 100);
    expect(elapsed).toBeLessThan(IDLE_TIMEOUT_S * 1000 + 5000);
    expect(text).toContain('one ');
    expect(text).toContain('two ');
    expect(received).toHaveLength(1);
    expect(received[0]).not.toContain(AWS_KEY);
    expect(received[0]).toContain('[REDACTED:');
    const event = await auditEventFor(h, id);
    expect(event.stream).toBe(true);
    expect(event.status).toBe(200);
    expect(event.error).toBe('LG_PROXY_UPSTREAM_TIMEOUT');
    await expectStillServing(h, agent);
  });

  it('never answering: after the headers timeout the client gets 504 upstream-timeout, audited', async () => {
    received.length = 0;
    const control = new ControlClient(h.daemon.paths.controlSocket);
    const errorsBefore = (await control.status()).counters.errors;
    const started = Date.now();
    const res = await undiciFetch(MISTRAL, {
      method: 'POST',
      headers: { ...CHAT_HEADERS, 'x-fault': 'no-headers' },
      body: chatJson(`key ${AWS_KEY}`),
      dispatcher: agent,
    });
    const body = Buffer.from(await res.arrayBuffer());
    expect(Date.now() - started).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_S * 1000 - 100);
    expect(res.status).toBe(504);
    const refusal = parseRefusal(body);
    // Mistral's SDK reads OpenAI's error shape (its code is the rule); llmgate's code rides beside it.
    expect(refusal.error.code).toBe('upstream-timeout');
    expect(refusal.llmgate.rule).toBe('upstream-timeout');
    expect(refusal.llmgate.code).toBe('LG_PROXY_UPSTREAM_TIMEOUT');
    expect(refusal.llmgate.reason).toContain('api.mistral.ai');
    expect(received).toHaveLength(1);
    expect(received[0]).not.toContain(AWS_KEY);
    const id = res.headers.get('x-llmgate-request-id')!;
    expect(refusal.llmgate.requestId).toBe(id);
    const event = await auditEventFor(h, id);
    expect(event.status).toBe(504);
    expect(event.error).toBe('LG_PROXY_UPSTREAM_TIMEOUT');
    expect(event.rules).toContain('upstream-timeout');
    // `llmgate status` counts it as a failed request.
    expect((await control.status()).counters.errors).toBe(errorsBefore + 1);
    await expectStillServing(h, agent);
  });
});
