/**
 * Tools for the hostile-input suite (test/hostile/): raw bytes into the proxy port and into an intercepted
 * TLS tunnel, a liveness check through the real faces (control socket + a redacted request), and the
 * provider-side view of what was forwarded.
 */
import net from 'node:net';
import tls from 'node:tls';
import { expect } from 'vitest';
import type { Dispatcher } from 'undici';
import { ControlClient } from '../../core/control/index.js';
import { OPENAI_TEST_KEY, resetRecorded, send } from './clients.js';
import type { Harness } from './harness.js';
import { ALL_NEEDLES, AWS_KEY } from './secrets.js';

export const CHAT_URL = 'https://api.openai.com/v1/chat/completions';
export const CHAT_HEADERS = {
  'content-type': 'application/json',
  authorization: `Bearer ${OPENAI_TEST_KEY}`,
} as const;

export function chatJson(content: string): string {
  return JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] });
}

/** What a raw exchange saw: the bytes the server sent, and whether it closed the connection. */
export interface RawReply {
  text: string;
  closed: boolean;
}

/** Collects what the server sends on `socket` until it closes or `timeoutMs` passes. */
function collect(socket: net.Socket | tls.TLSSocket, timeoutMs: number): Promise<RawReply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('error', () => {
      closed = true;
      finish();
    });
    socket.once('close', () => {
      closed = true;
      finish();
    });
  });
}

/** Sends raw bytes to the proxy port (plain HTTP) and collects the answer. */
export async function rawProxy(h: Harness, request: Buffer | string, timeoutMs = 5000): Promise<RawReply> {
  const socket = net.connect({ host: '127.0.0.1', port: h.daemon.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const reply = collect(socket, timeoutMs);
  socket.write(request);
  return reply;
}

/** Opens an authenticated CONNECT to `host:443` and returns the tunnel socket once the proxy said 200. */
export async function openTunnel(h: Harness, host = 'api.openai.com'): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port: h.daemon.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.write(
      `CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\nProxy-Authorization: ${h.proxyAuthorization}\r\n\r\n`,
    );
    let head = '';
    const onData = (c: Buffer): void => {
      head += c.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.off('error', reject);
      if (/^HTTP\/1\.1 200 /.test(head)) resolve();
      else reject(new Error(`CONNECT refused: ${head.split('\r\n', 1)[0]}`));
    };
    socket.on('data', onData);
  });
  return socket;
}

/** TLS inside an authenticated CONNECT tunnel, trusting the llmgate CA. */
export async function openTlsTunnel(
  h: Harness,
  options: { host?: string; servername?: string } = {},
): Promise<tls.TLSSocket> {
  const host = options.host ?? 'api.openai.com';
  const raw = await openTunnel(h, host);
  const socket = tls.connect({
    socket: raw,
    servername: options.servername ?? host,
    ca: h.caPem,
    // A wrong SNI gets the certificate of the CONNECT host; verification is checked by the caller.
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Sends raw HTTP bytes inside an intercepted TLS tunnel to api.openai.com and collects the answer. */
export async function rawIntercepted(
  h: Harness,
  request: Buffer | string,
  timeoutMs = 5000,
): Promise<RawReply> {
  const socket = await openTlsTunnel(h);
  const reply = collect(socket, timeoutMs);
  socket.write(request);
  return reply;
}

/** The status line's code of a raw HTTP answer (0 when there is none). */
export function statusOf(reply: RawReply): number {
  const m = /^HTTP\/1\.[01] (\d{3}) /.exec(reply.text);
  return m === null ? 0 : Number(m[1]);
}

/** Every status code in a raw answer that may hold several (pipelined) responses. */
export function statusesOf(reply: RawReply): number[] {
  return [...reply.text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

/** Everything the fake provider received so far, bodies and headers, as one string. */
export function providerSaw(h: Pick<Harness, 'provider'>): string {
  return h.provider.requests
    .map((r) => `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body.toString('latin1')}`)
    .join('\n');
}

/** No synthetic secret, in any spelling the tests use, reached the fake provider. */
export function expectNoSecretForwarded(h: Pick<Harness, 'provider'>): void {
  const seen = providerSaw(h);
  for (const needle of ALL_NEEDLES) expect(seen).not.toContain(needle);
}

/**
 * The daemon still serves: its control socket answers `status` and a request with a secret goes through
 * the proxy and arrives redacted. Forgets what the provider recorded before and after.
 */
export async function expectStillServing(h: Harness, agent: Dispatcher): Promise<void> {
  const status = await new ControlClient(h.daemon.paths.controlSocket).status();
  expect(status.running).toBe(true);
  resetRecorded(h);
  const res = await send(agent, CHAT_URL, {
    headers: { ...CHAT_HEADERS },
    body: chatJson(`still alive, key ${AWS_KEY}`),
  });
  expect(res.status).toBe(200);
  expect(h.provider.requests).toHaveLength(1);
  expect(h.provider.requests[0]!.body.toString('utf8')).toContain('[REDACTED:');
  expectNoSecretForwarded(h);
  resetRecorded(h);
}

/** The refusal body llmgate sends in OpenAI's error shape. */
export interface OpenAiRefusal {
  error: { message: string; code: string };
  llmgate: { rule: string; code: string; reason: string; requestId: string };
}

export function parseRefusal(body: Buffer | string): OpenAiRefusal {
  return JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as OpenAiRefusal;
}

/** The body of a raw HTTP answer (after the head). */
export function bodyOf(reply: RawReply): string {
  const at = reply.text.indexOf('\r\n\r\n');
  return at === -1 ? '' : reply.text.slice(at + 4);
}
