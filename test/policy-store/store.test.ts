/**
 * Distribution of the org policy: fetched with conditional requests from a loopback server, verified
 * against the pinned JWKS, cached as the last good policy and used offline; tampered, unknown-key,
 * rolled-back and expired policies are refused and the last good one stays in force.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/index.js';
import { PolicyStore } from '../../core/policy-store/index.js';
import type { PolicyDocumentInput } from '../../core/policy/index.js';
import {
  createSigningKey,
  signPolicy,
  startPolicyServer,
  tamper,
  type PolicyServer,
  type SigningKey,
} from '../support/policy-server.js';

let org: SigningKey;
let rogue: SigningKey;
let server: PolicyServer;
let dir: string;
let clock: Date;

const doc = (version: number, expiresAt = '2026-07-01T00:00:00Z'): PolicyDocumentInput => ({
  id: 'acme',
  version,
  expiresAt,
  defaultGroup: 'everyone',
  rules: [{ id: 'no-previews', models: { deny: ['*-preview'] } }],
});

function store(policy: Record<string, unknown> = {}): PolicyStore {
  const config = parseConfig({ policy: { url: server.url, keys: 'org.jwks.json', ...policy } });
  return new PolicyStore({ config, configDir: dir, cacheDir: path.join(dir, 'policy'), now: () => clock });
}

beforeAll(async () => {
  org = await createSigningKey('org-1');
  rogue = await createSigningKey('rogue');
  server = await startPolicyServer();
});
afterAll(async () => server.close());
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lg-policy-'));
  await writeFile(path.join(dir, 'org.jwks.json'), JSON.stringify({ keys: [org.publicJwk] }));
  clock = new Date('2026-06-01T12:00:00Z');
  server.requests = 0;
  server.notModified = 0;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('org policy distribution', () => {
  it('fetches, verifies and then asks again with If-None-Match', async () => {
    server.body = await signPolicy(doc(3), org);
    const s = store();
    await s.load();
    expect(s.snapshot().policy).toBeUndefined();
    expect(await s.refresh()).toEqual({ changed: true });
    expect(s.snapshot()).toMatchObject({
      source: 'org',
      signature: 'verified',
      kid: 'org-1',
      lastError: undefined,
    });
    expect(s.document()?.version).toBe(3);
    expect(await s.refresh()).toEqual({ changed: false });
    expect(server.notModified).toBe(1);
  });

  it('uses the last good policy when the server is down, across restarts, without the network', async () => {
    server.body = await signPolicy(doc(3), org);
    const first = store();
    await first.load();
    await first.refresh();
    server.body = undefined;
    const restarted = store();
    await restarted.load();
    expect(restarted.document()?.version).toBe(3);
    const result = await restarted.refresh();
    expect(result.error?.code).toBe('LG_POLICY_FETCH_FAILED');
    expect(restarted.snapshot()).toMatchObject({
      signature: 'verified',
      lastError: { code: 'LG_POLICY_FETCH_FAILED' },
    });
    expect(restarted.document()?.version).toBe(3);
  });

  it.each([
    ['a tampered policy', async () => tamper(await signPolicy(doc(4), org)), 'LG_POLICY_BAD_SIGNATURE'],
    ['a policy signed with an unknown key', async () => signPolicy(doc(4), rogue), 'LG_POLICY_UNKNOWN_KEY'],
    ['an older version (rollback)', async () => signPolicy(doc(2), org), 'LG_POLICY_ROLLBACK'],
    ['an expired policy', async () => signPolicy(doc(4, '2026-05-01T00:00:00Z'), org), 'LG_POLICY_EXPIRED'],
  ])('refuses %s and keeps the last good one', async (_name, make, code) => {
    server.body = await signPolicy(doc(3), org);
    const s = store();
    await s.load();
    await s.refresh();
    server.body = await make();
    const result = await s.refresh();
    expect(result).toMatchObject({ changed: false, error: { code } });
    expect(s.document()?.version).toBe(3);
  });

  it('remembers the highest version across restarts, so a rollback is refused after one too', async () => {
    server.body = await signPolicy(doc(5), org);
    const first = store();
    await first.load();
    await first.refresh();
    server.body = await signPolicy(doc(4), org);
    const restarted = store();
    await restarted.load();
    expect((await restarted.refresh()).error?.code).toBe('LG_POLICY_ROLLBACK');
    expect(restarted.document()?.version).toBe(5);
  });

  it('stops using a policy once it expires, even with no newer one', async () => {
    server.body = await signPolicy(doc(3, '2026-06-01T13:00:00Z'), org);
    const s = store();
    await s.load();
    await s.refresh();
    clock = new Date('2026-06-01T13:00:01Z');
    const snapshot = s.snapshot();
    expect(snapshot.policy).toBeUndefined();
    expect(snapshot.lastError?.code).toBe('LG_POLICY_EXPIRED');
    expect(snapshot.failureMode).toBe('closed');
  });

  it('refuses config with both an org policy url and a local policy file', () => {
    expect(() =>
      parseConfig({ policy: { url: 'https://x.example/p', keys: 'k.json', file: 'p.json' } }),
    ).toThrow(/a local policy file is allowed only without an org policy/);
    expect(() => parseConfig({ policy: { url: 'https://x.example/p' } })).toThrow(/pinned keys/);
  });

  it('loads a local policy file when no org policy is configured (unsigned)', async () => {
    await writeFile(
      path.join(dir, 'local-policy.json'),
      JSON.stringify({ id: 'mine', version: 1, rules: [] }),
    );
    const s = new PolicyStore({
      config: parseConfig({ policy: { file: 'local-policy.json' } }),
      configDir: dir,
      cacheDir: path.join(dir, 'policy'),
    });
    await s.load();
    expect(s.snapshot()).toMatchObject({ source: 'local-file', signature: 'unsigned' });
    expect(s.document()?.id).toBe('mine');
  });

  it('fetches keys from a URL, caches them, and verifies offline with the cached keys', async () => {
    server.keys = JSON.stringify({ keys: [org.publicJwk] });
    server.body = await signPolicy(doc(3), org);
    const first = store({ keys: server.keysUrl });
    await first.load();
    await first.refresh();
    expect(first.document()?.version).toBe(3);
    server.keys = undefined;
    server.body = undefined;
    const offline = store({ keys: server.keysUrl });
    await offline.load();
    expect(offline.snapshot()).toMatchObject({
      signature: 'verified',
      lastError: { code: 'LG_POLICY_FETCH_FAILED' },
    });
    expect(offline.document()?.version).toBe(3);
  });

  it('has no policy when the key URL cannot be reached and no keys were cached (fails closed)', async () => {
    server.keys = undefined;
    server.body = await signPolicy(doc(3), org);
    const s = store({ keys: server.keysUrl });
    await s.load();
    expect((await s.refresh()).error?.code).toBe('LG_POLICY_UNKNOWN_KEY');
    expect(s.snapshot()).toMatchObject({ policy: undefined, failureMode: 'closed' });
  });

  it('refuses keys over plain http from anywhere but loopback', () => {
    expect(() =>
      parseConfig({ policy: { url: 'https://p.example/p', keys: 'http://keys.example/k.json' } }),
    ).toThrow(/only from loopback/);
  });

  it('refuses a private key in the pinned JWKS', async () => {
    await writeFile(
      path.join(dir, 'org.jwks.json'),
      JSON.stringify({ keys: [{ ...org.publicJwk, d: 'secret' }] }),
    );
    await expect(store().load()).rejects.toMatchObject({ code: 'LG_POLICY_INVALID' });
  });
});
