import { X509Certificate as NodeX509Certificate, createHash, createHmac } from 'node:crypto';
import { chmod, readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { AsnConvert } from '@peculiar/asn1-schema';
import { NameConstraints, id_ce_nameConstraints } from '@peculiar/asn1-x509';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { LlmgateError } from '../../core/errors.js';
import { loadOrCreateCa, type LocalCa } from '../../core/ca/index.js';
import { tempHome, x509 } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;
const HOSTS = ['api.openai.com', 'openai.azure.com'];

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const load = (permittedHosts: readonly string[] = HOSTS, extra: { now?: Date; clock?: () => Date } = {}) =>
  loadOrCreateCa({ certPath: home.certPath, keyPath: home.keyPath, permittedHosts, ...extra });

const mode = async (file: string) => (await stat(file)).mode & 0o777;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
  return 'resolved';
}

describe('first start', () => {
  test('writes the key 0600 in a 0700 directory and the certificate 0644, whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      const ca = await load();
      expect(ca.created).toBe(true);
      expect(ca.rotated).toBe(false);
    } finally {
      process.umask(previous);
    }
    expect(await mode(home.keyPath)).toBe(0o600);
    expect(await mode(path.dirname(home.keyPath))).toBe(0o700);
    expect(await mode(home.certPath)).toBe(0o644);
    // Only the two files: no temp file left behind.
    expect((await readdir(path.dirname(home.keyPath))).sort()).toEqual(['llmgate-ca.key', 'llmgate-ca.pem']);
    expect(await readFile(home.keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  test('creates an ECDSA P-256 CA valid for ten years from yesterday, constrained to the permitted DNS names and no IP', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const ca = await load(HOSTS, { now });
    const cert = new x509.X509Certificate(ca.certPem);

    expect(cert.subject).toMatch(/^O=llmgate, CN=llmgate local CA \(.+ [0-9a-f]{6}\)$/);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(cert.notBefore.getTime()).toBe(now.getTime() - DAY);
    expect(cert.notAfter.getTime()).toBe(now.getTime() + 3650 * DAY);
    expect(await cert.verify({ date: now })).toBe(true);

    const bc = cert.getExtension(x509.BasicConstraintsExtension);
    expect(bc).toMatchObject({ ca: true, pathLength: 0, critical: true });
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    expect(ku?.critical).toBe(true);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);

    const ncExt = cert.getExtension(id_ce_nameConstraints);
    expect(ncExt?.critical).toBe(true);
    const nc = AsnConvert.parse(ncExt!.value, NameConstraints);
    expect(nc.permittedSubtrees?.map((s) => s.base.dNSName)).toEqual(HOSTS);
    expect(nc.excludedSubtrees?.map((s) => s.base.iPAddress)).toEqual(['0.0.0.0/0', '::/0']);

    expect(ca.fingerprintSha256).toBe(
      createHash('sha256').update(new Uint8Array(cert.rawData)).digest('hex'),
    );
    expect(ca.fingerprintSha256).toBe(
      new NodeX509Certificate(ca.certPem).fingerprint256.replaceAll(':', '').toLowerCase(),
    );
    expect(ca.certPath).toBe(home.certPath);
    expect(ca.permittedHosts).toEqual(HOSTS);
  });

  test('refuses permittedHosts that would weaken the constraints, as a coded TypeError', async () => {
    for (const bad of [
      [],
      ['127.0.0.1'],
      ['*.openai.com'],
      ['.openai.com'],
      ['localhost'],
      ['api.openai.com', '::1'],
    ]) {
      const err = await load(bad).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).toBeInstanceOf(TypeError);
      expect((err as { code: string }).code).toBe('LG_ARG_INVALID');
    }
    await expect(stat(home.keyPath)).rejects.toThrow(/ENOENT/);
  });

  test('normalises and de-duplicates permitted hosts', async () => {
    const ca = await load(['API.OpenAI.com.', 'api.openai.com']);
    expect(ca.permittedHosts).toEqual(['api.openai.com']);
  });
});

describe('later starts', () => {
  test('reloading gives the same CA and the same credential key', async () => {
    const first = await load();
    const second = await load();
    expect(second.created).toBe(false);
    expect(second.rotated).toBe(false);
    expect(second.rotation).toBeUndefined();
    expect(second.fingerprintSha256).toBe(first.fingerprintSha256);
    expect(second.certPem).toBe(first.certPem);
    expect(second.credentialKey().equals(first.credentialKey())).toBe(true);
  });

  test('adding a host rotates the CA and keeps the old files as *.previous', async () => {
    const first = await load(['api.openai.com']);
    const oldCert = await readFile(home.certPath, 'utf8');
    const oldKey = await readFile(home.keyPath, 'utf8');

    const second = await load(['api.openai.com', 'api.anthropic.com']);
    expect(second.rotated).toBe(true);
    expect(second.created).toBe(true);
    expect(second.rotation).toMatchObject({
      reason: 'hosts-added',
      previousFingerprintSha256: first.fingerprintSha256,
    });
    expect(second.rotation?.message).toContain('api.anthropic.com');
    expect(second.fingerprintSha256).not.toBe(first.fingerprintSha256);
    expect(second.permits('api.anthropic.com')).toBe(true);
    expect(second.credentialKey().equals(first.credentialKey())).toBe(false);

    expect(await readFile(`${home.certPath}.previous`, 'utf8')).toBe(oldCert);
    expect(await readFile(`${home.keyPath}.previous`, 'utf8')).toBe(oldKey);
    expect(await mode(`${home.keyPath}.previous`)).toBe(0o600);
    expect(await mode(home.keyPath)).toBe(0o600);

    const third = await load(['api.openai.com', 'api.anthropic.com']);
    expect(third.rotated).toBe(false);
    expect(third.fingerprintSha256).toBe(second.fingerprintSha256);
  });

  test('a host already covered by a permitted parent domain does not rotate', async () => {
    const first = await load(['openai.azure.com']);
    const second = await load(['openai.azure.com', 'myres.openai.azure.com']);
    expect(second.rotated).toBe(false);
    expect(second.fingerprintSha256).toBe(first.fingerprintSha256);
  });

  test('removing a host keeps the CA but stops minting for that host', async () => {
    const first = await load(['api.openai.com', 'api.anthropic.com']);
    const second = await load(['api.openai.com']);
    expect(second.rotated).toBe(false);
    expect(second.fingerprintSha256).toBe(first.fingerprintSha256);
    expect(second.certificatePermittedHosts).toEqual(['api.openai.com', 'api.anthropic.com']);
    expect(second.permits('api.anthropic.com')).toBe(false);
    expect(await codeOf(second.secureContextFor('api.anthropic.com'))).toBe('LG_CA_HOST_NOT_PERMITTED');
  });

  test('a CA that ends within a leaf lifetime is replaced', async () => {
    const created = new Date(Date.now() - (3650 - 20) * DAY);
    const first = await load(HOSTS, { now: created });
    const second = await load(HOSTS);
    expect(second.rotation).toMatchObject({
      reason: 'expiring',
      previousFingerprintSha256: first.fingerprintSha256,
    });
    expect(second.notAfter.getTime()).toBeGreaterThan(Date.now() + 3000 * DAY);
  });

  test('an expired CA is replaced', async () => {
    await load(HOSTS, { now: new Date(Date.now() - 3700 * DAY) });
    const second = await load(HOSTS);
    expect(second.rotation?.reason).toBe('expiring');
    expect(second.rotation?.message).toMatch(/expired/);
  });

  test('a CA that is not valid yet (clock set back) is refused, not replaced', async () => {
    await load(HOSTS, { now: new Date(Date.now() + 5 * DAY) });
    const before = await readFile(home.certPath, 'utf8');
    expect(await codeOf(load(HOSTS))).toBe('LG_CA_INVALID');
    expect(await readFile(home.certPath, 'utf8')).toBe(before);
  });

  test('a key that does not belong to the certificate is refused and nothing is overwritten', async () => {
    await load();
    const other = await tempHome();
    try {
      await loadOrCreateCa({ certPath: other.certPath, keyPath: other.keyPath, permittedHosts: HOSTS });
      const foreignKey = await readFile(other.keyPath, 'utf8');
      await writeFile(home.keyPath, foreignKey, { mode: 0o600 });
      const err = await load().catch((e: unknown) => e);
      expect(LlmgateError.is(err)).toBe(true);
      expect((err as LlmgateError).code).toBe('LG_CA_INVALID');
      expect((err as Error).message).toMatch(/does not belong/);
      expect(await readFile(home.keyPath, 'utf8')).toBe(foreignKey);
    } finally {
      await other.cleanup();
    }
  });

  test('a certificate file that is not a certificate is refused', async () => {
    await load();
    await writeFile(home.certPath, 'not a certificate\n');
    expect(await codeOf(load())).toBe('LG_CA_INVALID');
  });

  test('a key file without its certificate is replaced by a new pair, the key kept as *.previous', async () => {
    await load();
    const oldKey = await readFile(home.keyPath, 'utf8');
    await unlink(home.certPath);
    const ca = await load();
    expect(ca.rotation?.reason).toBe('incomplete');
    expect(await readFile(`${home.keyPath}.previous`, 'utf8')).toBe(oldKey);
  });

  test('a key file others can read is tightened to 0600 on load', async () => {
    await load();
    await chmod(home.keyPath, 0o644);
    await load();
    expect(await mode(home.keyPath)).toBe(0o600);
  });
});

describe('credential key', () => {
  test('is HMAC-SHA256 keyed with the CA key PKCS#8 DER over "llmgate proxy credential v1"', async () => {
    const ca = await load();
    const pem = await readFile(home.keyPath, 'utf8');
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const expected = createHmac('sha256', der).update('llmgate proxy credential v1').digest();
    const key = ca.credentialKey();
    expect(key.length).toBe(32);
    expect(key.equals(expected)).toBe(true);
    key.fill(0);
    expect(ca.credentialKey().equals(expected)).toBe(true);
  });
});

describe('permits', () => {
  let ca: LocalCa;
  beforeEach(async () => {
    ca = await load();
  });

  test.each([
    ['api.openai.com', true],
    ['API.OpenAI.com.', true],
    ['eu.api.openai.com', true],
    ['openai.azure.com', true],
    ['myres.openai.azure.com', true],
    ['openai.com', false],
    ['xapi.openai.com', false],
    ['evilopenai.azure.com', false],
    ['azure.com', false],
    ['bank.example.com', false],
    ['127.0.0.1', false],
    ['::1', false],
    ['[::1]', false],
    ['*.openai.azure.com', false],
    ['', false],
  ])('%j -> %s', (host, expected) => {
    expect(ca.permits(host)).toBe(expected);
  });

  test('a host outside the constraints gets LG_CA_HOST_NOT_PERMITTED', async () => {
    for (const host of ['bank.example.com', '127.0.0.1', 'openai.com', 'evilopenai.azure.com']) {
      const err = await ca.secureContextFor(host).catch((e: unknown) => e);
      expect(LlmgateError.is(err), host).toBe(true);
      expect((err as LlmgateError).code).toBe('LG_CA_HOST_NOT_PERMITTED');
      expect((err as LlmgateError).name).toBe('CaError');
    }
  });
});
