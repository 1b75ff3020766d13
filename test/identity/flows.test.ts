import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request, fetch as undiciFetch } from 'undici';
import {
  IdentityService,
  KeychainStore,
  introspectionResolver,
  loadSession,
  type FetchLike,
  type OidcSettings,
  type SecretStore,
} from '../../core/identity/index.js';
import { TestBrowser } from '../support/browser.js';
import { closedPort } from '../support/clients.js';
import {
  BACKEND_CLIENT_ID,
  BACKEND_CLIENT_SECRET,
  BACKEND_RESOURCE,
  LLMGATE_CLIENT_ID,
  startTestIdp,
  type TestIdp,
} from '../support/idp.js';
import { startTestKeyring, type TestKeyring } from '../support/keyring.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';

let keyring: TestKeyring;
let pki: TestPki;
let idp: TestIdp;
const homes: string[] = [];

beforeAll(async () => {
  keyring = await startTestKeyring();
  pki = await createTestPki();
  idp = await startTestIdp({ pki });
});
afterAll(async () => {
  await idp.close();
  await keyring.close();
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

function introspect(
  on: TestIdp,
): (token: string) => Promise<{ active: boolean; cnf?: { jkt?: string } | undefined }> {
  const dispatcher = new Agent({ connect: { ca: pki.caPem } });
  const fetchWithCa: FetchLike = async (url, init) => {
    const res = await undiciFetch(url, { ...init, dispatcher });
    return { status: res.status, json: () => res.json() };
  };
  return introspectionResolver({
    endpoint: on.introspectionEndpoint,
    clientId: BACKEND_CLIENT_ID,
    clientSecret: BACKEND_CLIENT_SECRET,
    fetch: fetchWithCa,
  });
}

async function signedIn(s: IdentityService, user = 'alice'): Promise<void> {
  const start = await s.startLogin('browser');
  const browser = new TestBrowser(pki.caPem);
  await browser.signIn(start.authorizationUrl!, user);
  await browser.close();
  expect((await s.waitLogin(start.flowId, 10_000)).state).toBe('signed-in');
}

async function service(
  overrides: Partial<OidcSettings> = {},
  issuer = idp.issuer,
  identity: { allowPlaintextFileStore?: boolean } = {},
  secretStore?: (home: string) => SecretStore,
): Promise<{ s: IdentityService; home: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lg-id-'));
  homes.push(home);
  const s = await IdentityService.open({
    home,
    ...(secretStore === undefined ? {} : { secretStore: secretStore(home) }),
    oidc: {
      issuer,
      clientId: LLMGATE_CLIENT_ID,
      scopes: ['openid', 'email', 'profile', 'groups', 'offline_access', 'api'],
      resource: BACKEND_RESOURCE,
      requireSignIn: true,
      refreshAheadSeconds: 60,
      loginTimeoutSeconds: 30,
      ...overrides,
    },
    identity: { audiences: [], allowPlaintextFileStore: identity.allowPlaintextFileStore ?? false },
    extraCaPem: pki.caPem,
  });
  return { s, home };
}

describe('sign-in flows against a real OpenID Provider', () => {
  it('signs in with authorization code + PKCE through the loopback redirect, tokens bound to the device key', async () => {
    const { s, home } = await service();
    const start = await s.startLogin('browser');
    const url = new URL(start.authorizationUrl!);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const browser = new TestBrowser(pki.caPem);
    const page = await browser.signIn(start.authorizationUrl!, 'alice');
    expect(page.body).toContain('Signed in to llmgate');
    const done = await s.waitLogin(start.flowId, 10_000);
    expect(done.state).toBe('signed-in');
    const status = s.status();
    expect(status).toMatchObject({
      signedIn: true,
      user: 'alice@corp.example',
      subject: 'alice',
      groups: ['engineering', 'llm-users'],
      store: 'keychain',
    });
    const session = await loadSession(new KeychainStore(home));
    expect(session?.tokenType).toMatch(/dpop/i);
    expect(session?.jkt).toBe(status.deviceThumbprint);
    expect(idp.nonceChallenges).toBeGreaterThan(0);
    s.close();
    await browser.close();
  });

  it('signs in with the device authorization grant, the code confirmed on a second device', async () => {
    const { s } = await service();
    const start = await s.startLogin('device');
    expect(start.userCode).toMatch(/\w/);
    expect(start.verificationUri).toBe(`${idp.issuer}/device`);
    const browser = new TestBrowser(pki.caPem);
    const waiting = s.waitLogin(start.flowId, 20_000);
    const page = await browser.confirmDeviceCode(start.verificationUri!, start.userCode!, 'bob');
    expect(page.body).toMatch(/success|sign-in complete|signed in/i);
    expect(await waiting).toMatchObject({
      state: 'signed-in',
      identity: { user: 'bob@corp.example', groups: ['support'] },
    });
    expect(idp.grants).toContain('urn:ietf:params:oauth:grant-type:device_code');
    s.close();
    await browser.close();
  });

  it('says the sign-in was denied when the user refuses consent in the browser', async () => {
    const { s } = await service();
    const start = await s.startLogin('browser');
    const browser = new TestBrowser(pki.caPem);
    const page = await browser.signIn(start.authorizationUrl!, 'alice', { deny: true });
    expect(page.body).toContain('Sign-in did not complete');
    await expect(s.waitLogin(start.flowId, 10_000)).rejects.toMatchObject({
      code: 'LG_IDENTITY_DENIED',
      message: expect.stringMatching(/denied.*llmgate login/s),
    });
    expect(s.status().signedIn).toBe(false);
    s.close();
    await browser.close();
  });

  it('says the sign-in was denied when the user aborts on the device page', async () => {
    const { s } = await service();
    const start = await s.startLogin('device');
    const browser = new TestBrowser(pki.caPem);
    const waiting = s.waitLogin(start.flowId, 20_000);
    waiting.catch(() => {});
    await browser.confirmDeviceCode(start.verificationUri!, start.userCode!, 'alice', { deny: true });
    await expect(waiting).rejects.toMatchObject({ code: 'LG_IDENTITY_DENIED' });
    s.close();
    await browser.close();
  });

  it('says the device code expired when nobody confirms it in time', async () => {
    const shortIdp = await startTestIdp({ pki, deviceCodeTtl: 2 });
    const { s } = await service({}, shortIdp.issuer);
    const start = await s.startLogin('device');
    await expect(s.waitLogin(start.flowId, 15_000)).rejects.toMatchObject({
      code: 'LG_IDENTITY_EXPIRED',
      message: expect.stringContaining('expired'),
    });
    s.close();
    await shortIdp.close();
  });

  it('gives up on a browser sign-in that never comes back, with a hint', async () => {
    const { s } = await service({ loginTimeoutSeconds: 1 });
    const start = await s.startLogin('browser');
    await expect(s.waitLogin(start.flowId, 10_000)).rejects.toMatchObject({
      code: 'LG_IDENTITY_TIMEOUT',
      message: expect.stringContaining('--device-code'),
    });
    s.close();
  });

  it('refreshes ahead of expiry with a DPoP proof and a rotated refresh token; the old one is dead', async () => {
    // Tokens live 63 s and are refreshed 60 s ahead, so the timer fires about 3 s after sign-in.
    const shortIdp = await startTestIdp({ pki, accessTokenTtl: 63 });
    const { s, home } = await service({}, shortIdp.issuer);
    await signedIn(s);
    const store = new KeychainStore(home);
    const before = (await loadSession(store))!;
    await expect
      .poll(() => shortIdp.grants.filter((g) => g === 'refresh_token').length, { timeout: 10_000 })
      .toBe(1);
    await expect
      .poll(async () => (await loadSession(store))?.accessToken, { timeout: 5_000 })
      .not.toBe(before.accessToken);
    const after = (await loadSession(store))!;
    expect(after.refreshToken).toBeDefined();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.jkt).toBe(before.jkt);
    const check = introspect(shortIdp);
    expect((await check(after.accessToken)).cnf?.jkt).toBe(before.jkt);
    expect((await check(before.refreshToken!)).active).toBe(false);
    expect(s.status().signedIn).toBe(true);
    s.close();
    await shortIdp.close();
  });

  it('keeps the sign-in across a restart without asking again', async () => {
    const { s, home } = await service();
    await signedIn(s);
    const thumbprint = s.status().deviceThumbprint;
    s.close();
    const again = await IdentityService.open({
      home,
      oidc: {
        issuer: idp.issuer,
        clientId: LLMGATE_CLIENT_ID,
        scopes: ['openid'],
        resource: BACKEND_RESOURCE,
        requireSignIn: true,
        refreshAheadSeconds: 60,
        loginTimeoutSeconds: 30,
      },
      identity: { audiences: [], allowPlaintextFileStore: false },
      extraCaPem: pki.caPem,
    });
    expect(again.status()).toMatchObject({
      signedIn: true,
      user: 'alice@corp.example',
      deviceThumbprint: thumbprint,
    });
    again.close();
  });

  it('logout revokes the refresh token at the IdP and deletes tokens and the device key', async () => {
    const { s, home } = await service();
    await signedIn(s);
    const store = new KeychainStore(home);
    const session = (await loadSession(store))!;
    const check = introspect(idp);
    expect((await check(session.refreshToken!)).active).toBe(true);
    expect(await s.logout()).toEqual({ signedOut: true, revoked: true, user: 'alice@corp.example' });
    expect((await check(session.refreshToken!)).active).toBe(false);
    expect(await loadSession(store)).toBeUndefined();
    expect(await store.get('dpop-key')).toBeUndefined();
    expect(s.status()).toMatchObject({ signedIn: false, user: null, deviceThumbprint: null });
    s.close();
  });

  it('a session the IdP has ended (refresh token revoked elsewhere) becomes signed out, not an endless retry', async () => {
    const { s, home } = await service();
    await signedIn(s);
    const store = new KeychainStore(home);
    const session = (await loadSession(store))!;
    // An admin (or another logout) revokes the refresh token at the IdP.
    const res = await request(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: session.refreshToken!, client_id: LLMGATE_CLIENT_ID }).toString(),
      dispatcher: new Agent({ connect: { ca: pki.caPem } }),
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await expect(s.refreshNow()).rejects.toMatchObject({
      code: 'LG_IDENTITY_SESSION_ENDED',
      message: expect.stringContaining('llmgate login'),
    });
    expect(s.status()).toMatchObject({ signedIn: false, user: null });
    expect(await loadSession(store)).toBeUndefined();
    s.close();
  });

  it('a sign-out while a refresh is saving its tokens stays signed out', async () => {
    let slowSaves = false;
    const { s, home } = await service({}, idp.issuer, {}, (home) => {
      const keychain = new KeychainStore(home);
      const slow: SecretStore = {
        kind: 'keychain',
        get: (name) => keychain.get(name),
        delete: (name) => keychain.delete(name),
        set: async (name, value) => {
          if (slowSaves && name === 'session') await new Promise((resolve) => setTimeout(resolve, 700));
          await keychain.set(name, value);
        },
      };
      return slow;
    });
    await signedIn(s);
    const refreshes = () => idp.grants.filter((g) => g === 'refresh_token').length;
    const before = refreshes();
    slowSaves = true;
    const refreshing = s.refreshNow();
    // The IdP has rotated the tokens; the keychain is still writing them.
    await expect.poll(refreshes).toBeGreaterThan(before);
    expect(await s.logout()).toMatchObject({ signedOut: true, revoked: true, user: 'alice@corp.example' });
    await refreshing;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(s.status()).toMatchObject({ signedIn: false, user: null });
    expect(await loadSession(new KeychainStore(home))).toBeUndefined();
    expect(await s.credentialsFor('GET', 'https://backend.corp.example/v1/whoami')).toBeUndefined();
    s.close();
  });

  it('inside the refresh window, requests go out with the still-valid token instead of waiting for the IdP', async () => {
    // Tokens live 63 s and are refreshed 60 s ahead: the window opens about 3 s after sign-in.
    const stuckIdp = await startTestIdp({ pki, accessTokenTtl: 63 });
    const { s } = await service({}, stuckIdp.issuer);
    await signedIn(s);
    stuckIdp.tokenEndpoint = 'hang';
    const signInRequests = stuckIdp.tokenRequests;
    await expect.poll(() => stuckIdp.tokenRequests, { timeout: 10_000 }).toBeGreaterThan(signInRequests);
    const started = performance.now();
    const credentials = await s.credentialsFor('GET', 'https://backend.corp.example/v1/whoami');
    expect(await s.ensureSignedIn()).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(credentials?.authorization).toMatch(/^DPoP /);
    s.close();
    await stuckIdp.close();
  });

  it('after a failed refresh, requests inside the window do not each retry it', async () => {
    const failingIdp = await startTestIdp({ pki, accessTokenTtl: 63 });
    const { s } = await service({}, failingIdp.issuer);
    await signedIn(s);
    failingIdp.tokenEndpoint = 'fail';
    const signInRequests = failingIdp.tokenRequests;
    await expect.poll(() => failingIdp.tokenRequests, { timeout: 10_000 }).toBeGreaterThan(signInRequests);
    // Let the timer's attempt finish failing.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const attempts = failingIdp.tokenRequests;
    for (let i = 0; i < 5; i++) {
      expect(await s.credentialsFor('GET', 'https://backend.corp.example/v1/whoami')).toBeDefined();
      expect(await s.ensureSignedIn()).toBe(true);
    }
    expect(failingIdp.tokenRequests).toBe(attempts);
    s.close();
    await failingIdp.close();
  });

  it('two sign-ins started together: the later one replaces the earlier, whose receiver is closed', async () => {
    const { s } = await service();
    const [first, second] = await Promise.all([s.startLogin('browser'), s.startLogin('browser')]);
    await expect(s.waitLogin(first.flowId, 1_000)).rejects.toMatchObject({ code: 'LG_IDENTITY_NO_LOGIN' });
    const firstRedirect = new URL(first.authorizationUrl!).searchParams.get('redirect_uri')!;
    await expect(request(`${firstRedirect}?code=x&state=y`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(new URL(second.authorizationUrl!).searchParams.get('dpop_jkt')).toBe(
      new URL(first.authorizationUrl!).searchParams.get('dpop_jkt'),
    );
    const browser = new TestBrowser(pki.caPem);
    await browser.signIn(second.authorizationUrl!, 'alice');
    await browser.close();
    expect((await s.waitLogin(second.flowId, 10_000)).state).toBe('signed-in');
    s.close();
  });

  it('says the identity provider cannot be reached, naming the network error', async () => {
    const { s } = await service({}, `https://127.0.0.1:${await closedPort()}`);
    await expect(s.startLogin('browser')).rejects.toMatchObject({
      code: 'LG_IDENTITY_IDP_UNREACHABLE',
      message: expect.stringMatching(/cannot reach the identity provider during discovery \(ECONNREFUSED\)/),
    });
    s.close();
  });
});
