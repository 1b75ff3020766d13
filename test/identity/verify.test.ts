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
  introspectionResolver,
  verifyDpopRequest,
  type DeviceKey,
  type TokenInfo,
} from '../../core/identity/index.js';

const NOW = 1_800_000_000;
const URL_ = 'https://backend.corp.example/v1/chat?x=1';
const TOKEN = 'opaque-access-token-for-tests';
const AUDIENCE = 'https://backend.corp.example';

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

const active = (jkt: string): TokenInfo => ({ active: true, sub: 'alice', aud: AUDIENCE, cnf: { jkt } });

async function verify(overrides: {
  proof?: string;
  method?: string;
  url?: string;
  authorization?: string | undefined;
  token?: TokenInfo;
  resolveToken?: (token: string) => Promise<TokenInfo>;
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
    resolveToken:
      overrides.resolveToken ?? (() => Promise.resolve(overrides.token ?? active(key.thumbprint))),
    audience: AUDIENCE,
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
      { token: { active: true, sub: 'alice', aud: AUDIENCE, cnf: { jkt: 'x'.repeat(43) } } },
      'LG_IDENTITY_KEY_MISMATCH',
    ],
    [
      'a token bound to no key',
      { token: { active: true, sub: 'alice', aud: AUDIENCE } },
      'LG_IDENTITY_KEY_MISMATCH',
    ],
    [
      'a token issued for another service',
      { token: { active: true, sub: 'alice', aud: 'https://other.corp.example', cnf: { jkt: 'k' } } },
      'LG_IDENTITY_TOKEN_INVALID',
    ],
    ['a missing nonce', { nonce: 'server-nonce' }, 'LG_IDENTITY_PROOF_NONCE'],
  ] as const)('rejects %s', async (_name, overrides, code) => {
    await expect(verify(overrides as Parameters<typeof verify>[0])).rejects.toMatchObject({ code });
  });

  it('rejects a token issued for another service, and accepts one among several audiences', async () => {
    const other = {
      active: true,
      sub: 'alice',
      aud: 'https://other.corp.example',
      cnf: { jkt: key.thumbprint },
    };
    await expect(verify({ token: other })).rejects.toMatchObject({
      code: 'LG_IDENTITY_TOKEN_INVALID',
      message: expect.stringContaining('audience'),
    });
    const none = { active: true, sub: 'alice', cnf: { jkt: key.thumbprint } };
    await expect(verify({ token: none })).rejects.toMatchObject({ code: 'LG_IDENTITY_TOKEN_INVALID' });
    const several = { ...other, aud: ['https://other.corp.example', AUDIENCE] };
    await expect(verify({ token: several })).resolves.toMatchObject({ subject: 'alice' });
  });

  it('throws a coded TypeError when the audience option is missing', async () => {
    const proof = await createProof(key, { method: 'POST', url: URL_, accessToken: TOKEN, now: NOW });
    const call = verifyDpopRequest({
      method: 'POST',
      url: URL_,
      authorization: `DPoP ${TOKEN}`,
      dpop: proof,
      resolveToken: () => Promise.resolve(active(key.thumbprint)),
      replayCache: new ReplayCache(),
      now: NOW,
    } as unknown as Parameters<typeof verifyDpopRequest>[0]);
    await expect(call).rejects.toBeInstanceOf(TypeError);
    await expect(call).rejects.toMatchObject({ code: 'LG_ARG_INVALID' });
  });

  it('reports a resolver that fails (IdP down) as an invalid token, keeping the cause', async () => {
    const down = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const err = await verify({ resolveToken: () => Promise.reject(down) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LG_IDENTITY_TOKEN_INVALID', cause: down });
  });

  it('reports a malformed resolver answer as an invalid token, not a ZodError', async () => {
    const err = await verify({
      resolveToken: () => Promise.resolve({ active: 'yes' } as unknown as TokenInfo),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LG_IDENTITY_TOKEN_INVALID' });
  });

  it('reports an unreachable introspection endpoint as an invalid token, keeping the cause', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const resolveToken = introspectionResolver({
      endpoint: 'https://idp.corp.example/introspect',
      clientId: 'llm-api',
      clientSecret: 's',
      fetch: () => Promise.reject(refused),
    });
    const err = await verify({ resolveToken }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LG_IDENTITY_TOKEN_INVALID', cause: refused });
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
