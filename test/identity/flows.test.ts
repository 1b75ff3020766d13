import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityService, KeychainStore, loadSession, type OidcSettings } from '../../core/identity/index.js';
import { TestBrowser } from '../support/browser.js';
import { BACKEND_RESOURCE, LLMGATE_CLIENT_ID, startTestIdp, type TestIdp } from '../support/idp.js';
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

async function service(overrides: Partial<OidcSettings> = {}, issuer = idp.issuer): Promise<{ s: IdentityService; home: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lg-id-'));
  homes.push(home);
  const s = await IdentityService.open({
    home,
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
    identity: { audiences: [], allowPlaintextFileStore: false },
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
    expect(status).toMatchObject({ signedIn: true, user: 'alice@corp.example', subject: 'alice', groups: ['engineering', 'llm-users'], store: 'keychain' });
    const session = await loadSession(new KeychainStore(home));
    expect(session?.tokenType).toMatch(/dpop/i);
    expect(session?.jkt).toBe(status.deviceThumbprint);
    expect(idp.nonceChallenges).toBeGreaterThan(0);
    s.close();
    await browser.close();
  });
});
