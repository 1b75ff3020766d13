/**
 * The backend helper, on fixed inputs with the clock frozen: a proof is accepted only for its method,
 * URL, token and key, only once, and only while fresh.
 */
import { webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ReplayCache,
  createProof,
  verifyDpopRequest,
  type DeviceKey,
  type TokenInfo,
} from '../../core/identity/index.js';

const NOW = 1_800_000_000;
const URL_ = 'https://backend.corp.example/v1/chat?x=1';
const TOKEN = 'opaque-access-token-for-tests';

async function newKey(): Promise<DeviceKey> {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const publicJwk = await exportJWK(pair.publicKey);
  return { keyPair: pair, publicJwk, thumbprint: await calculateJwkThumbprint(publicJwk) };
}

let key: DeviceKey;
let other: DeviceKey;
beforeAll(async () => {
  key = await newKey();
  other = await newKey();
});

const active = (jkt: string): TokenInfo => ({ active: true, sub: 'alice', cnf: { jkt } });

async function verify(overrides: {
  proof?: string;
  method?: string;
  url?: string;
  authorization?: string | undefined;
  token?: TokenInfo;
  cache?: ReplayCache;
  nonce?: string;
}) {
  return verifyDpopRequest({
    method: overrides.method ?? 'POST',
    url: overrides.url ?? URL_,
    authorization: 'authorization' in overrides ? overrides.authorization : `DPoP ${TOKEN}`,
    dpop:
      overrides.proof ??
      (await createProof(key, { method: 'POST', url: URL_, accessToken: TOKEN, now: NOW })),
    resolveToken: () => Promise.resolve(overrides.token ?? active(key.thumbprint)),
    replayCache: overrides.cache ?? new ReplayCache(),
    now: NOW,
    ...(overrides.nonce === undefined ? {} : { nonce: overrides.nonce }),
  });
}

describe('verifyDpopRequest', () => {
  it('accepts a fresh proof from the key the token is bound to, and names the user and device', async () => {
    await expect(verify({})).resolves.toMatchObject({ subject: 'alice', thumbprint: key.thumbprint });
  });

  it('ignores the query string in htu, as RFC 9449 requires', async () => {
    await expect(verify({ url: 'https://backend.corp.example/v1/chat?other=2' })).resolves.toBeTruthy();
  });

  it.each([
    ['another method', { method: 'GET' }, 'LG_IDENTITY_PROOF_INVALID'],
    ['another URL', { url: 'https://backend.corp.example/v1/admin' }, 'LG_IDENTITY_PROOF_INVALID'],
    ['another host', { url: 'https://evil.example/v1/chat' }, 'LG_IDENTITY_PROOF_INVALID'],
    ['a Bearer token', { authorization: `Bearer ${TOKEN}` }, 'LG_IDENTITY_TOKEN_INVALID'],
    ['no Authorization', { authorization: undefined }, 'LG_IDENTITY_TOKEN_INVALID'],
    ['another token (ath)', { authorization: 'DPoP some-other-token' }, 'LG_IDENTITY_PROOF_INVALID'],
    ['an inactive token', { token: { active: false } }, 'LG_IDENTITY_TOKEN_INVALID'],
    [
      'a token bound to another key',
      { token: { active: true, sub: 'alice', cnf: { jkt: 'x'.repeat(43) } } },
      'LG_IDENTITY_KEY_MISMATCH',
    ],
    ['a token bound to no key', { token: { active: true, sub: 'alice' } }, 'LG_IDENTITY_KEY_MISMATCH'],
    ['a missing nonce', { nonce: 'server-nonce' }, 'LG_IDENTITY_PROOF_NONCE'],
  ] as const)('rejects %s', async (_name, overrides, code) => {
    await expect(verify(overrides as Parameters<typeof verify>[0])).rejects.toMatchObject({ code });
  });

  it('rejects a proof signed by another key than the token is bound to', async () => {
    const proof = await createProof(other, { method: 'POST', url: URL_, accessToken: TOKEN, now: NOW });
    await expect(verify({ proof })).rejects.toMatchObject({ code: 'LG_IDENTITY_KEY_MISMATCH' });
  });

  it('rejects a proof older than a minute or from the future', async () => {
    const old = await createProof(key, { method: 'POST', url: URL_, accessToken: TOKEN, now: NOW - 61 });
    const future = await createProof(key, { method: 'POST', url: URL_, accessToken: TOKEN, now: NOW + 30 });
    await expect(verify({ proof: old })).rejects.toMatchObject({ code: 'LG_IDENTITY_PROOF_INVALID' });
    await expect(verify({ proof: future })).rejects.toMatchObject({ code: 'LG_IDENTITY_PROOF_INVALID' });
  });

  it('accepts a proof once: a replay is rejected', async () => {
    const cache = new ReplayCache();
    const proof = await createProof(key, { method: 'POST', url: URL_, accessToken: TOKEN, now: NOW });
    await expect(verify({ proof, cache })).resolves.toBeTruthy();
    await expect(verify({ proof, cache })).rejects.toMatchObject({ code: 'LG_IDENTITY_PROOF_REPLAYED' });
  });

  it('rejects a tampered proof', async () => {
    const proof = await createProof(key, { method: 'POST', url: URL_, accessToken: TOKEN, now: NOW });
    const [h, p, sig] = proof.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, htm: 'GET' })).toString('base64url')}.${sig}`;
    await expect(verify({ proof: forged, method: 'GET' })).rejects.toMatchObject({
      code: 'LG_IDENTITY_PROOF_INVALID',
    });
  });

  it('accepts a proof that carries the nonce the backend asked for', async () => {
    const proof = await createProof(key, {
      method: 'POST',
      url: URL_,
      accessToken: TOKEN,
      now: NOW,
      nonce: 'n-1',
    });
    await expect(verify({ proof, nonce: 'n-1' })).resolves.toBeTruthy();
  });
});
