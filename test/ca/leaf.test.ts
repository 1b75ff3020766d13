import type { X509Certificate as NodeX509Certificate } from 'node:crypto';
import type tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { loadOrCreateCa, type LocalCa } from '../../core/ca/index.js';
import { startTlsServer, tempHome, x509, type TestServer } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

let home: Awaited<ReturnType<typeof tempHome>>;
let ca: LocalCa;
let server: TestServer;
let clockNow = Date.now();

/** Connects through `server` with SNI `host` and returns the leaf the server presented. */
async function peerLeaf(host: string): Promise<NodeX509Certificate> {
  const { connect } = await import('node:tls');
  return new Promise((resolve, reject) => {
    const socket: tls.TLSSocket = connect({
      host: '127.0.0.1',
      port: server.port,
      servername: host,
      ca: ca.certPem,
    });
    socket.once('secureConnect', () => {
      const leaf = socket.getPeerX509Certificate();
      socket.destroy();
      if (leaf === undefined) reject(new Error('no peer certificate'));
      else resolve(leaf);
    });
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  home = await tempHome();
  ca = await loadOrCreateCa({
    certPath: home.certPath,
    keyPath: home.keyPath,
    permittedHosts: ['api.openai.com', 'openai.azure.com'],
    clock: () => new Date(clockNow),
  });
  server = await startTlsServer({ contextFor: (host) => ca.secureContextFor(host) });
});

afterAll(async () => {
  await server.close();
  await home.cleanup();
});

describe('minting', () => {
  // Mint and lookup speed is measured in `npm run bench` (bench/ca/mint.ts), not asserted here.
  test('mints each host once: repeated and concurrent requests share one secure context', async () => {
    const [a, b] = await Promise.all([
      ca.secureContextFor('once.openai.azure.com'),
      ca.secureContextFor('once.openai.azure.com'),
    ]);
    expect(a).toBe(b);
    expect(await ca.secureContextFor('once.openai.azure.com')).toBe(a);
    expect(await ca.secureContextFor('other.openai.azure.com')).not.toBe(a);
  });

  test('serves a leaf for exactly the requested host, chained to the CA', async () => {
    const before = clockNow;
    const leaf = await peerLeaf('api.openai.com');
    expect(leaf.subject).toBe('CN=api.openai.com');
    expect(leaf.subjectAltName).toBe('DNS:api.openai.com');
    expect(leaf.issuer).toBe(new x509.X509Certificate(ca.certPem).subject.split(', ').join('\n'));
    expect(leaf.ca).toBe(false);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leaf.checkIssued(new (await import('node:crypto')).X509Certificate(ca.certPem))).toBe(true);
    // Serial: 16 random bytes, positive.
    expect(leaf.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(new Date(leaf.validFrom).getTime()).toBe(Math.floor((before - HOUR) / 1000) * 1000);
    expect(new Date(leaf.validTo).getTime()).toBe(Math.floor((before + 30 * DAY) / 1000) * 1000);

    const parsed = new x509.X509Certificate(leaf.raw);
    expect(parsed.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(parsed.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    const ku = parsed.getExtension(x509.KeyUsagesExtension);
    expect(ku).toMatchObject({ critical: true, usages: x509.KeyUsageFlags.digitalSignature });
    expect(parsed.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: false });
    const caSki = new x509.X509Certificate(ca.certPem).getExtension(
      x509.SubjectKeyIdentifierExtension,
    )?.keyId;
    expect(parsed.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(caSki);
  });

  test('every leaf of the process shares one key pair but has its own serial', async () => {
    const a = await peerLeaf('api.openai.com');
    const b = await peerLeaf('x.openai.azure.com');
    expect(
      a.publicKey
        .export({ type: 'spki', format: 'der' })
        .equals(b.publicKey.export({ type: 'spki', format: 'der' })),
    ).toBe(true);
    expect(a.serialNumber).not.toBe(b.serialNumber);
  });

  test('concurrent requests for a host share one mint, and later ones hit the cache', async () => {
    const contexts = await Promise.all(
      Array.from({ length: 20 }, () => ca.secureContextFor('burst.openai.azure.com')),
    );
    expect(new Set(contexts).size).toBe(1);
    expect(await ca.secureContextFor('BURST.openai.azure.com.')).toBe(contexts[0]);
  });

  test('re-mints a host once its leaf has less than a day left', async () => {
    const start = clockNow;
    try {
      const first = await ca.secureContextFor('renew.openai.azure.com');
      clockNow = start + 28 * DAY;
      expect(await ca.secureContextFor('renew.openai.azure.com')).toBe(first);
      clockNow = start + 29 * DAY + HOUR;
      const second = await ca.secureContextFor('renew.openai.azure.com');
      expect(second).not.toBe(first);
      expect(await ca.secureContextFor('renew.openai.azure.com')).toBe(second);
    } finally {
      clockNow = start;
    }
  });
});
