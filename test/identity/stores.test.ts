/**
 * The device key and the plaintext file store under concurrency and damage: one key however many
 * sign-ins start together, every entry kept however many writes overlap, and a key WebCrypto refuses
 * reported as a damaged keychain entry.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlaintextFileStore, SoftwareDeviceKeyStore, type SecretStore } from '../../core/identity/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function memoryStore(): SecretStore & { sets: string[]; entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const sets: string[] = [];
  return {
    kind: 'keychain',
    entries,
    sets,
    get: (name) => Promise.resolve(entries.get(name)),
    set: async (name, value) => {
      sets.push(name);
      // A keychain round trip: long enough for a second caller to get in between.
      await new Promise((resolve) => setTimeout(resolve, 20));
      entries.set(name, value);
    },
    delete: (name) => Promise.resolve(void entries.delete(name)),
  };
}

describe('device key store', () => {
  it('creates one key when two sign-ins ask for it at once', async () => {
    const secrets = memoryStore();
    const keys = new SoftwareDeviceKeyStore(secrets);
    const [a, b] = await Promise.all([keys.loadOrCreate(), keys.loadOrCreate()]);
    expect(a.thumbprint).toBe(b.thumbprint);
    expect(secrets.sets).toEqual(['dpop-key']);
    expect((await new SoftwareDeviceKeyStore(secrets).load())?.thumbprint).toBe(a.thumbprint);
  });

  it('reports a well-formed key WebCrypto refuses as a damaged keychain entry, with the cause', async () => {
    const secrets = memoryStore();
    const notOnCurve = { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', d: 'AAAA' };
    secrets.entries.set('dpop-key', JSON.stringify(notOnCurve));
    const err = await new SoftwareDeviceKeyStore(secrets).load().catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'LG_IDENTITY_KEYCHAIN_FAILED',
      message: expect.stringContaining('llmgate logout'),
      cause: expect.anything(),
    });
  });
});

describe('plaintext file store', () => {
  it('keeps every entry when writes overlap', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lg-store-'));
    dirs.push(dir);
    const store = new PlaintextFileStore(path.join(dir, 'identity', 'secrets.json'));
    const names = Array.from({ length: 12 }, (_, i) => `entry-${i}`);
    await Promise.all(names.map((name) => store.set(name, `value-of-${name}`)));
    await Promise.all([store.delete('entry-0'), store.set('late', 'v')]);
    const all = JSON.parse(await readFile(store.file, 'utf8')) as Record<string, string>;
    expect(Object.keys(all).sort()).toEqual([...names.slice(1), 'late'].sort());
  });
});
