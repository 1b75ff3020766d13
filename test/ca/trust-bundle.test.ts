import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { loadOrCreateCa, writeTrustBundle, type LocalCa } from '../../core/ca/index.js';
import { curlClient, pythonClient, startTlsServer, tempHome, type TestServer } from './helpers.js';

const countCerts = (pem: string) => (pem.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;

let home: Awaited<ReturnType<typeof tempHome>>;
let other: Awaited<ReturnType<typeof tempHome>>;
let ca: LocalCa;
let otherCa: LocalCa;

beforeAll(async () => {
  home = await tempHome();
  other = await tempHome();
  ca = await loadOrCreateCa({
    certPath: home.certPath,
    keyPath: home.keyPath,
    permittedHosts: ['api.openai.com'],
  });
  // Stands in for a system root store in the tests that choose the bundle source.
  otherCa = await loadOrCreateCa({
    certPath: other.certPath,
    keyPath: other.keyPath,
    permittedHosts: ['example.org'],
  });
});

afterAll(async () => {
  await home.cleanup();
  await other.cleanup();
});

describe('trust bundle', () => {
  test('is the first existing system bundle followed by the llmgate CA, written 0644', async () => {
    const fakeSystem = path.join(home.dir, 'system-roots.pem');
    const unused = path.join(home.dir, 'unused-roots.pem');
    await writeFile(fakeSystem, otherCa.certPem);
    await writeFile(unused, tls.rootCertificates.join('\n'));
    const bundlePath = path.join(home.dir, 'ca', 'trust-bundle.pem');

    const written = await writeTrustBundle({
      caCertPem: ca.certPem,
      bundlePath,
      systemBundlePaths: [path.join(home.dir, 'missing.pem'), fakeSystem, unused],
    });

    expect(written).toBe(bundlePath);
    const text = await readFile(bundlePath, 'utf8');
    expect(text.startsWith(otherCa.certPem)).toBe(true);
    expect(text.endsWith(ca.certPem)).toBe(true);
    expect(countCerts(text)).toBe(2);
    expect((await stat(bundlePath)).mode & 0o777).toBe(0o644);
    expect((await readdir(path.dirname(bundlePath))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test("falls back to Node's built-in roots when no system bundle exists", async () => {
    const bundlePath = path.join(home.dir, 'node-roots-bundle.pem');
    await writeTrustBundle({
      caCertPem: ca.certPem,
      bundlePath,
      systemBundlePaths: [path.join(home.dir, 'nope.pem')],
    });
    const text = await readFile(bundlePath, 'utf8');
    expect(countCerts(text)).toBe(tls.rootCertificates.length + 1);
    expect(text.endsWith(ca.certPem)).toBe(true);
  });

  test('rewrites an existing bundle in place when the CA changes', async () => {
    const bundlePath = path.join(home.dir, 'rewrite-bundle.pem');
    const sys = path.join(home.dir, 'rewrite-system.pem');
    await writeFile(sys, tls.rootCertificates[0] ?? '');
    await writeTrustBundle({ caCertPem: otherCa.certPem, bundlePath, systemBundlePaths: [sys] });
    await writeTrustBundle({ caCertPem: ca.certPem, bundlePath, systemBundlePaths: [sys] });
    const text = await readFile(bundlePath, 'utf8');
    expect(text).toContain(ca.certPem);
    expect(text).not.toContain(otherCa.certPem);
  });

  test('refuses a CA argument that is not exactly one certificate, as a coded TypeError', async () => {
    const bundlePath = path.join(home.dir, 'bad-bundle.pem');
    for (const caCertPem of ['', 'hello', ca.certPem + otherCa.certPem]) {
      const err = await writeTrustBundle({ caCertPem, bundlePath }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect((err as { code: string }).code).toBe('LG_ARG_INVALID');
    }
  });

  describe("built from this machine's system roots", () => {
    let server: TestServer;
    let bundlePath: string;
    beforeAll(async () => {
      server = await startTlsServer({ contextFor: (host) => ca.secureContextFor(host) });
      bundlePath = await writeTrustBundle({
        caCertPem: ca.certPem,
        bundlePath: path.join(home.dir, 'system-bundle.pem'),
      });
    });
    afterAll(async () => {
      await server.close();
    });

    test('keeps every system root', async () => {
      const system = await readFile('/etc/ssl/certs/ca-certificates.crt', 'utf8');
      const text = await readFile(bundlePath, 'utf8');
      expect(text.startsWith(system)).toBe(true);
      expect(countCerts(text)).toBe(countCerts(system) + 1);
    });

    test('lets curl (CURL_CA_BUNDLE-style) and Python (SSL_CERT_FILE-style) trust an intercepted host', async () => {
      const viaCurl = await curlClient(bundlePath, server.port, 'api.openai.com');
      expect(viaCurl.ok, viaCurl.message).toBe(true);
      const viaPython = await pythonClient(bundlePath, server.port, 'api.openai.com');
      expect(viaPython.ok, viaPython.message).toBe(true);
    });
  });
});
