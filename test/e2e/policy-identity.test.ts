/**
 * Policy groups come from the signed-in user's ID token (issues 5 and 6 together): before sign-in the
 * policy's default group applies, after sign-in the `groups` claim does. A real OpenID Provider, a real
 * Secret Service, a signed policy served over HTTP, the real daemon and proxy.
 */
import type { ProxyAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../core/control/index.js';
import { TestBrowser } from '../support/browser.js';
import { OPENAI_TEST_KEY, proxyAgent, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { LLMGATE_CLIENT_ID, startTestIdp, type TestIdp } from '../support/idp.js';
import { startTestKeyring, type TestKeyring } from '../support/keyring.js';
import {
  createSigningKey,
  signPolicy,
  startPolicyServer,
  type PolicyServer,
} from '../support/policy-server.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const chat = (model: string): string =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });

let keyring: TestKeyring;
let pki: TestPki;
let idp: TestIdp;
let server: PolicyServer;
let h: Harness;
let agent: ProxyAgent;

beforeAll(async () => {
  keyring = await startTestKeyring();
  pki = await createTestPki();
  idp = await startTestIdp({ pki });
  const key = await createSigningKey('acme-groups');
  server = await startPolicyServer();
  server.body = await signPolicy(
    {
      id: 'acme',
      version: 1,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      defaultGroup: 'everyone',
      rules: [
        { id: 'base-models', models: { allow: ['gpt-4o-mini'] } },
        { id: 'eng-models', groups: ['engineering'], models: { allow: ['gpt-4o'] } },
      ],
    },
    key,
  );
  h = await startHarness(
    {
      oidc: {
        issuer: idp.issuer,
        clientId: LLMGATE_CLIENT_ID,
        scopes: ['openid', 'email', 'profile', 'groups'],
        requireSignIn: false,
      },
      policy: { url: server.url, keys: 'org.jwks.json' },
    },
    { pki, files: { 'org.jwks.json': JSON.stringify({ keys: [key.publicJwk] }) } },
  );
  agent = proxyAgent(h);
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await h?.close();
  await server?.close();
  await idp?.close();
  await keyring?.close();
});

describe('policy groups from sign-in', () => {
  it('evaluates the default group before sign-in and the ID token groups after it', async () => {
    const before = await send(agent, CHAT, { headers: HEADERS, body: chat('gpt-4o') });
    expect(before.status).toBe(403);
    expect(JSON.parse(before.body.toString('utf8'))).toMatchObject({ llmgate: { code: 'LG_POLICY_DENIED' } });

    const control = new ControlClient(h.daemon.paths.controlSocket);
    const start = await control.loginStart('browser');
    const browser = new TestBrowser(pki.caPem);
    await browser.signIn(start.authorizationUrl!, 'alice'); // groups: engineering, llm-users
    await browser.close();
    await expect.poll(async () => (await control.status()).identity?.signedIn).toBe(true);

    const after = await send(agent, CHAT, { headers: HEADERS, body: chat('gpt-4o') });
    expect(after.status).toBe(200);
    expect((await control.status()).policy.groups).toEqual(['engineering', 'llm-users']);
  });
});
