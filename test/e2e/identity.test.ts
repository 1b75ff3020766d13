/**
 * Sign-in end to end: the real daemon and proxy, a real OpenID Provider (oidc-provider) on loopback with
 * DPoP and nonces, a real Secret Service (gnome-keyring on a private bus), and an org backend that
 * verifies llmgate's DPoP proof and token with the core helper. One session, in order: refused before
 * sign-in, sign in, use, replay attempts, restart, sign out.
 */
import { webcrypto } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Agent, ProxyAgent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../core/control/index.js';
import { startDaemon, type Daemon } from '../../core/daemon/index.js';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { KeychainStore, createProof, loadSession, type DeviceKey } from '../../core/identity/index.js';
import {
  ANTHROPIC_TEST_KEY,
  OPENAI_TEST_KEY,
  auditEventFor,
  proxyAgent,
  resetRecorded,
  send,
} from '../support/clients.js';
import { TestBrowser } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';
import { BACKEND_RESOURCE, LLMGATE_CLIENT_ID, startTestIdp, type TestIdp } from '../support/idp.js';
import { startTestKeyring, type TestKeyring } from '../support/keyring.js';
import { BACKEND_HOST, startOrgBackend, type OrgBackend } from '../support/org-backend.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const BACKEND_URL = `https://${BACKEND_HOST}/v1/whoami`;
const OPENAI_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const chatBody = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] });

let keyring: TestKeyring;
let pki: TestPki;
let idp: TestIdp;
let backend: OrgBackend;
let h: Harness;
let agent: ProxyAgent;
let control: ControlClient;
let restarted: Daemon | undefined;
const restartedLog: string[] = [];

beforeAll(async () => {
  keyring = await startTestKeyring();
  pki = await createTestPki();
  idp = await startTestIdp({ pki });
  backend = await startOrgBackend(pki, idp);
  h = await startHarness(
    {
      oidc: {
        issuer: idp.issuer,
        clientId: LLMGATE_CLIENT_ID,
        scopes: ['openid', 'email', 'profile', 'groups', 'offline_access', 'api'],
        resource: BACKEND_RESOURCE,
      },
      identity: { audiences: [BACKEND_HOST], providerUserHash: { hosts: ['api.anthropic.com'] } },
    },
    { pki, upstreams: { [BACKEND_HOST]: backend.origin } },
  );
  agent = proxyAgent(h);
  control = new ControlClient(h.daemon.paths.controlSocket);
});

afterAll(async () => {
  await agent?.close();
  await restarted?.stop();
  await h?.close();
  await backend?.close();
  await idp?.close();
  await keyring?.close();
});

async function whoami(
  dispatcher = agent,
): Promise<{ status: number; body: Record<string, unknown>; id: string | null }> {
  const res = await send(dispatcher, BACKEND_URL, { method: 'GET', headers: {} });
  return {
    status: res.status,
    body: JSON.parse(res.body.toString('utf8')) as Record<string, unknown>,
    id: res.headers.get('x-llmgate-request-id'),
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

describe('sign-in and identity to the organisation backends', () => {
  it('refuses requests before sign-in with a "run llmgate login" error in the provider\'s shape', async () => {
    const res = await send(agent, CHAT, { headers: OPENAI_HEADERS, body: chatBody });
    expect(res.status).toBe(401);
    const body = JSON.parse(res.body.toString('utf8')) as { error: { message: string } };
    expect(body.error.message).toContain('llmgate login');
    expect(res.headers.get('x-llmgate-rule')).toBe('sign-in-required');
    const event = await auditEventFor(h, res.headers.get('x-llmgate-request-id')!);
    expect(event).toMatchObject({
      decision: 'block',
      rules: ['sign-in-required'],
      error: 'LG_IDENTITY_NOT_SIGNED_IN',
    });
    const toBackend = await whoami();
    expect(toBackend.status).toBe(401);
    expect(backend.received).toHaveLength(0);
    expect((await control.status()).identity).toMatchObject({
      configured: true,
      signedIn: false,
      store: 'keychain',
      requireSignIn: true,
    });
  });

  it('signs in through the daemon (PKCE, loopback redirect); status shows user, groups, expiry and device key', async () => {
    const start = await control.loginStart('browser');
    const browser = new TestBrowser(pki.caPem);
    await browser.signIn(start.authorizationUrl!, 'alice');
    await browser.close();
    let result = await control.loginWait(start.flowId);
    while (result.state === 'pending') result = await control.loginWait(start.flowId);
    const identity = (await control.status()).identity!;
    expect(identity).toMatchObject({
      signedIn: true,
      user: 'alice@corp.example',
      name: 'Alice Example',
      groups: ['engineering', 'llm-users'],
      deviceThumbprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      warnings: [],
    });
    expect(Date.parse(identity.expiresAt!)).toBeGreaterThan(Date.now());
  });

  it('an org backend gets the DPoP-bound token with a fresh proof per request, and verifies who and which device', async () => {
    const thumbprint = (await control.status()).identity!.deviceThumbprint;
    const first = await whoami();
    const second = await whoami();
    expect(first).toMatchObject({ status: 200, body: { subject: 'alice', thumbprint } });
    expect(second).toMatchObject({ status: 200, body: { subject: 'alice', thumbprint } });
    const [a, b] = backend.received.slice(-2);
    expect(a!.headers.authorization).toMatch(/^DPoP /);
    expect(a!.headers.dpop).not.toBe(b!.headers.dpop);
    const event = await auditEventFor(h, first.id!);
    expect(event).toMatchObject({
      user: 'alice@corp.example',
      device: thumbprint,
      host: BACKEND_HOST,
      status: 200,
    });
  });

  it('provider hosts get no identity; a host config names gets only a keyed hash of the user id', async () => {
    resetRecorded(h);
    const res = await send(agent, CHAT, { headers: OPENAI_HEADERS, body: chatBody });
    expect(res.status).toBe(200);
    const openai = h.provider.requests.at(-1)!;
    expect(openai.headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`);
    expect(openai.headers.dpop).toBeUndefined();
    expect(openai.headers['x-llmgate-user']).toBeUndefined();
    const event = await auditEventFor(h, res.headers.get('x-llmgate-request-id')!);
    expect(event.user).toBe('alice@corp.example');

    const messages = JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const anthropicHeaders = {
      'content-type': 'application/json',
      'x-api-key': ANTHROPIC_TEST_KEY,
      'anthropic-version': '2023-06-01',
    };
    expect(
      (
        await send(agent, 'https://api.anthropic.com/v1/messages', {
          headers: anthropicHeaders,
          body: messages,
        })
      ).status,
    ).toBe(200);
    const anthropic = h.provider.requests.at(-1)!;
    const hash = anthropic.headers['x-llmgate-user'];
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(anthropic.headers)).not.toMatch(/alice|DPoP /);
    // Stable for the user, so the provider can rate-limit one person without learning who it is.
    await send(agent, 'https://api.anthropic.com/v1/messages', { headers: anthropicHeaders, body: messages });
    expect(h.provider.requests.at(-1)!.headers['x-llmgate-user']).toBe(hash);
  });

  it('the backend rejects a replayed proof and the token used with another key', async () => {
    const direct = new Agent({ connect: { ca: pki.caPem } });
    const seen = backend.received.find((r) => r.headers.dpop !== undefined)!;
    const token = String(seen.headers.authorization).slice('DPoP '.length);
    const call = async (headers: Record<string, string>) => {
      const res = await request(`${backend.origin}/v1/whoami`, {
        method: 'GET',
        headers,
        dispatcher: direct,
      });
      return { status: res.statusCode, body: (await res.body.json()) as { error: string } };
    };
    const replay = await call({ authorization: `DPoP ${token}`, dpop: String(seen.headers.dpop) });
    expect(replay).toMatchObject({ status: 401, body: { error: 'LG_IDENTITY_PROOF_REPLAYED' } });

    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const publicJwk = await exportJWK(pair.publicKey);
    const stranger: DeviceKey = {
      keyPair: pair,
      publicJwk,
      thumbprint: await calculateJwkThumbprint(publicJwk),
    };
    const proof = await createProof(stranger, { method: 'GET', url: BACKEND_URL, accessToken: token });
    const stolen = await call({ authorization: `DPoP ${token}`, dpop: proof });
    expect(stolen).toMatchObject({ status: 401, body: { error: 'LG_IDENTITY_KEY_MISMATCH' } });
    await direct.close();
  });

  it("answers a backend's use_dpop_nonce challenge by resending with the nonce, unseen by the client", async () => {
    backend.nonce = 'backend-nonce-1';
    try {
      const before = backend.received.length;
      const first = await whoami();
      expect(first).toMatchObject({ status: 200, body: { subject: 'alice' } });
      // The challenge and the resend reached the backend; the client saw one 200.
      expect(backend.received.length - before).toBe(2);
      const second = await whoami();
      expect(second.status).toBe(200);
      // Now the nonce is known: one request, one proof.
      expect(backend.received.length - before).toBe(3);
      const event = await auditEventFor(h, first.id!);
      expect(event).toMatchObject({ status: 200, user: 'alice@corp.example' });
    } finally {
      backend.nonce = undefined;
    }
  });

  it('no file under LLMGATE_HOME holds a token: they are in the keychain only', async () => {
    const session = (await loadSession(new KeychainStore(h.home)))!;
    const secrets = [session.accessToken, session.refreshToken!, session.idToken!];
    expect(secrets.every((s) => typeof s === 'string' && s.length > 10)).toBe(true);
    const files = await filesUnder(h.home);
    expect(files.some((f) => f.endsWith('audit.db'))).toBe(true);
    for (const file of files) {
      const content = await readFile(file);
      for (const secret of secrets) expect(content.includes(secret), `${file} holds a token`).toBe(false);
    }
  });

  it('a restarted daemon keeps the sign-in without a new login, and logs no token', async () => {
    const before = (await control.status()).identity!;
    await h.daemon.stop();
    restarted = await startDaemon({ home: h.home, log: (line) => restartedLog.push(line) });
    const env = restarted.env();
    const again = new ProxyAgent({
      uri: env.proxyUrl,
      token: h.proxyAuthorization,
      requestTls: { ca: h.caPem },
    });
    expect((await control.status()).identity).toMatchObject({
      signedIn: true,
      user: 'alice@corp.example',
      deviceThumbprint: before.deviceThumbprint,
    });
    expect(await whoami(again)).toMatchObject({
      status: 200,
      body: { subject: 'alice', thumbprint: before.deviceThumbprint },
    });
    await again.close();
    const session = (await loadSession(new KeychainStore(h.home)))!;
    for (const line of restartedLog) {
      expect(line).not.toContain(session.accessToken);
      expect(line).not.toContain(session.refreshToken!);
    }
  });

  it('logout revokes at the IdP, deletes tokens and key, and requests are refused again', async () => {
    expect(await control.logout()).toEqual({ signedOut: true, revoked: true, user: 'alice@corp.example' });
    expect(await loadSession(new KeychainStore(h.home))).toBeUndefined();
    expect((await control.status()).identity).toMatchObject({
      signedIn: false,
      user: null,
      deviceThumbprint: null,
    });
    const env = restarted!.env();
    const again = new ProxyAgent({
      uri: env.proxyUrl,
      token: h.proxyAuthorization,
      requestTls: { ca: h.caPem },
    });
    expect((await whoami(again)).status).toBe(401);
    await again.close();
  });
});
