/**
 * Bad TLS inside CONNECT tunnels: a wrong or missing SNI, garbage instead of a ClientHello, plain HTTP
 * where TLS was promised, old protocol versions and malformed CONNECT lines. The daemon never forwards
 * what it did not decrypt and scan, and keeps serving.
 */
import tls from 'node:tls';
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
  openTunnel,
  rawProxy,
  statusOf,
} from '../support/hostile.js';
import { AWS_KEY } from '../support/secrets.js';

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

const BODY = chatJson(`key ${AWS_KEY}`);
const REQUEST = [
  'POST /v1/chat/completions HTTP/1.1',
  'Host: evil.example',
  'Content-Type: application/json',
  `Content-Length: ${Buffer.byteLength(BODY)}`,
  'Connection: close',
  '',
  BODY,
].join('\r\n');

/** Writes `request` on `socket` and reads until the server closes (or 5 s). */
function exchange(socket: tls.TLSSocket, request: string): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', () => {});
    socket.write(request);
  });
}

/** Resolves once `socket` closes; collects what it received. */
function untilClosed(socket: NodeJS.ReadableStream & { destroy(): void }, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

describe('server name indication', () => {
  it('answers a wrong SNI with the certificate of the CONNECT host and scans what follows', async () => {
    resetRecorded(h);
    const socket = await openTlsTunnel(h, { servername: 'evil.example' });
    const cert = socket.getPeerCertificate();
    expect(cert.subjectaltname).toContain('DNS:api.openai.com');
    expect(cert.subjectaltname).not.toContain('evil.example');
    // The Host header inside the tunnel does not re-route the request: it goes to the CONNECT host only.
    const reply = await exchange(socket, REQUEST);
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(h.provider.requests).toHaveLength(1);
    expect(h.provider.requests[0]!.body.toString('utf8')).toContain('[REDACTED:aws-access-key-id]');
  });

  it('is verifiable by a client that checks the certificate against the CONNECT host, with no SNI', async () => {
    resetRecorded(h);
    const raw = await openTunnel(h);
    const socket = tls.connect({ socket: raw, ca: h.caPem, checkServerIdentity: () => undefined });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    expect(tls.checkServerIdentity('api.openai.com', socket.getPeerCertificate())).toBeUndefined();
    expect(socket.authorized).toBe(true);
    const reply = await exchange(socket, REQUEST);
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(h.provider.requests[0]!.body.toString('utf8')).toContain('[REDACTED:aws-access-key-id]');
  });
});

describe('not a TLS handshake', () => {
  it('closes a tunnel that sends garbage instead of a ClientHello, forwarding nothing', async () => {
    resetRecorded(h);
    const raw = await openTunnel(h);
    const closed = untilClosed(raw);
    raw.write(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await closed;
    expect(h.provider.requests).toHaveLength(0);
  });

  it('closes a tunnel that sends a truncated ClientHello and then goes quiet once the client leaves', async () => {
    resetRecorded(h);
    const raw = await openTunnel(h);
    const closed = untilClosed(raw, 300);
    // A TLS record header announcing 512 bytes, then only 10 of them.
    raw.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0, 0, 0, 0]));
    await closed;
    expect(h.provider.requests).toHaveLength(0);
  });

  it('answers plain HTTP sent where TLS was promised with a 400 naming llmgate, never forwarding it', async () => {
    resetRecorded(h);
    const raw = await openTunnel(h);
    const closed = untilClosed(raw);
    raw.write(REQUEST);
    const reply = await closed;
    expect(h.provider.requests).toHaveLength(0);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('LG_PROXY_BAD_REQUEST');
    expect(reply).toContain('TLS');
  });

  it('refuses a client that offers only TLS 1.0', async () => {
    resetRecorded(h);
    const raw = await openTunnel(h);
    const socket = tls.connect({
      socket: raw,
      servername: 'api.openai.com',
      ca: h.caPem,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('secureConnect', () => resolve('connected'));
      socket.once('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message));
    });
    socket.destroy();
    expect(outcome).not.toBe('connected');
    expect(h.provider.requests).toHaveLength(0);
  });
});

describe('malformed CONNECT', () => {
  it.each([
    ['no port', 'api.openai.com'],
    ['port 0', 'api.openai.com:0'],
    ['a port past 65535', 'api.openai.com:99999'],
    ['an empty host', ':443'],
    ['a user part', 'user@api.openai.com:443'],
    ['an unclosed IPv6 bracket', '[::1:443'],
  ])('answers CONNECT with %s with 400', async (_name, authority) => {
    resetRecorded(h);
    const reply = await rawProxy(
      h,
      `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\nProxy-Authorization: ${h.proxyAuthorization}\r\n\r\n`,
    );
    expect(statusOf(reply)).toBe(400);
    expect(bodyOf(reply)).toContain('llmgate');
  });
});
