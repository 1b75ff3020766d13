/**
 * A real OpenID Provider (oidc-provider) on loopback over TLS, configured as an org would configure its
 * IdP for llmgate: a public native client with loopback redirects, PKCE, DPoP-bound tokens with server
 * nonces, the device grant, refresh-token rotation, revocation, RFC 8707 resource indicators, and a
 * confidential client for the org backend's token introspection.
 */
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { TestPki } from './test-pki.js';

export const LLMGATE_CLIENT_ID = 'llmgate-cli';
export const BACKEND_CLIENT_ID = 'org-backend';
export const BACKEND_CLIENT_SECRET = 'org-backend-test-secret-0123456789abcdef';
export const BACKEND_RESOURCE = 'https://backend.corp.example';
export const USERS: Record<string, { email: string; name: string; groups: string[] }> = {
  alice: { email: 'alice@corp.example', name: 'Alice Example', groups: ['engineering', 'llm-users'] },
  bob: { email: 'bob@corp.example', name: 'Bob Example', groups: ['support'] },
};

export interface TestIdpOptions {
  readonly pki: TestPki;
  /** Access token lifetime in seconds (default 3600). */
  readonly accessTokenTtl?: number;
  /** Device code lifetime in seconds (default 600). */
  readonly deviceCodeTtl?: number;
}

export interface TestIdp {
  readonly issuer: string;
  readonly introspectionEndpoint: string;
  /** Token endpoint requests seen, by grant type (to prove refreshes and nonce retries happened). */
  readonly grants: string[];
  /** How many token requests were answered `use_dpop_nonce`. */
  nonceChallenges: number;
  /** POSTs to the token endpoint, whatever became of them. */
  tokenRequests: number;
  /**
   * How the token endpoint behaves: `hang` never answers (until close), `fail` answers 500
   * `server_error`, `slow` answers after a second.
   */
  tokenEndpoint: 'normal' | 'hang' | 'fail' | 'slow';
  close(): Promise<void>;
}

export async function startTestIdp(options: TestIdpOptions): Promise<TestIdp> {
  const server = https.createServer({ cert: options.pki.certPem, key: options.pki.keyPem });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://127.0.0.1:${port}`;
  const accessTtl = options.accessTokenTtl ?? 3600;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: LLMGATE_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        // Any port on the loopback address (RFC 8252 section 7.3).
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        dpop_bound_access_tokens: true,
      },
      {
        client_id: BACKEND_CLIENT_ID,
        client_secret: BACKEND_CLIENT_SECRET,
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
    ],
    findAccount: (_ctx: unknown, id: string) => {
      const user = USERS[id];
      if (user === undefined) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...user }) };
    },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups', 'api'],
    conformIdTokenClaims: false,
    rotateRefreshToken: true,
    // As admins set it up for llmgate: the native client always gets a refresh token (offline_access is
    // otherwise dropped unless the request also carries prompt=consent, OIDC Core section 11).
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    cookies: { keys: [randomBytes(16).toString('hex')] },
    ttl: {
      AccessToken: accessTtl,
      DeviceCode: options.deviceCodeTtl ?? 600,
      RefreshToken: 86400,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 86400,
      AuthorizationCode: 60,
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => BACKEND_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: BACKEND_RESOURCE,
          accessTokenFormat: 'opaque',
          accessTokenTTL: accessTtl,
        }),
      },
    },
  });
  const idp: TestIdp = {
    issuer,
    introspectionEndpoint: `${issuer}/token/introspection`,
    grants: [],
    nonceChallenges: 0,
    tokenRequests: 0,
    tokenEndpoint: 'normal',
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  provider.on('grant.success', (ctx: unknown) => {
    const params = (ctx as { oidc: { params: { grant_type?: string } } }).oidc.params;
    if (params.grant_type !== undefined) idp.grants.push(params.grant_type);
  });
  provider.on('grant.error', (_ctx: unknown, err: unknown) => {
    if ((err as { error?: string }).error === 'use_dpop_nonce') idp.nonceChallenges++;
  });
  // oidc-provider warns about its development-only defaults; the noise is not a test failure.
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/token') return void callback(req, res);
    idp.tokenRequests++;
    switch (idp.tokenEndpoint) {
      case 'hang':
        return;
      case 'fail':
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'server_error', error_description: 'test IdP told to fail' }));
        return;
      case 'slow':
        setTimeout(() => void callback(req, res), 1000);
        return;
      default:
        void callback(req, res);
    }
  });
  return idp;
}
