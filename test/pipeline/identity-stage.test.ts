/**
 * The identity stages without a network: a fake identity source, an upstream that records what it was
 * asked to send, and a client end that collects the answer.
 */
import { describe, expect, it } from 'vitest';
import { IdentityError } from '../../core/errors.js';
import {
  newExchange,
  orgIdentityStage,
  signInGate,
  type Dispatch,
  type Exchange,
  type IdentitySource,
  type ResponseHandler,
  type StreamController,
  type Target,
} from '../../core/pipeline/index.js';

const BACKEND = 'backend.corp.example';

function exchangeTo(target: Target, url = '/v1/whoami'): Exchange {
  return newExchange({
    id: 'req-1',
    time: new Date(1_800_000_000_000),
    startedAt: 0,
    mode: 'intercept',
    target,
    method: 'GET',
    url,
    headers: { authorization: 'Bearer client-own' },
    match: undefined,
  });
}

function source(overrides: Partial<IdentitySource> = {}): IdentitySource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    requireSignIn: true,
    ensureSignedIn: () => Promise.resolve(true),
    isAudience: (host) => host === BACKEND,
    credentialsFor: (method, url) => {
      asked.push(`${method} ${url}`);
      return Promise.resolve({ authorization: 'DPoP access-token-xyz', dpop: 'proof.jwt.sig' });
    },
    noteBackendNonce: () => {},
    userHashFor: () => undefined,
    ...overrides,
  };
}

interface Outcome {
  status: number | undefined;
  body: string;
  error: Error | undefined;
  /** Headers of each request the upstream was asked to send. */
  sent: Exchange['headers'][];
}

const controller: StreamController = { pause() {}, resume() {}, abort() {} };

/** Runs one exchange through `stage` to an upstream that answers 200; resolves when the client is answered. */
function run(stage: (next: Dispatch) => Dispatch, exchange: Exchange): Promise<Outcome> {
  const sent: Exchange['headers'][] = [];
  const upstream: Dispatch = (ex, handler) => {
    sent.push({ ...ex.headers });
    handler.onResponseStart(controller, 200, { 'content-type': 'application/json' });
    handler.onResponseData(controller, Buffer.from('{"ok":true}'));
    handler.onResponseEnd(controller);
  };
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let status: number | undefined;
    const client: ResponseHandler = {
      onRequestStart: () => {},
      onResponseStart: (_c, s) => void (status = s),
      onResponseData: (_c, chunk) => void chunks.push(chunk),
      onResponseEnd: () =>
        resolve({ status, body: Buffer.concat(chunks).toString(), error: undefined, sent }),
      onResponseError: (_c, error) => resolve({ status, body: '', error, sent }),
    };
    stage(upstream)(exchange, client);
  });
}

describe('org backend identity over plain HTTP', () => {
  it('attaches the DPoP-bound token and proof to an https request to an org backend', async () => {
    const src = source();
    const out = await run(
      orgIdentityStage(src),
      exchangeTo({ protocol: 'https:', host: BACKEND, port: 443 }),
    );
    expect(out.status).toBe(200);
    expect(out.sent[0]).toMatchObject({ authorization: 'DPoP access-token-xyz', dpop: 'proof.jwt.sig' });
    expect(src.asked).toEqual([`GET https://${BACKEND}/v1/whoami`]);
  });

  it('refuses an http:// request to an org backend (http-proxy mode) without asking for or sending the token', async () => {
    const src = source();
    const exchange = exchangeTo({ protocol: 'http:', host: BACKEND, port: 80 });
    const out = await run(orgIdentityStage(src), exchange);
    expect(out.status).toBe(403);
    expect(out.sent).toHaveLength(0);
    expect(src.asked).toHaveLength(0);
    expect(out.body).not.toContain('access-token-xyz');
    expect(out.body).toContain('identity-requires-https');
    expect(exchange).toMatchObject({ decision: 'block', errorCode: 'LG_IDENTITY_INSECURE_UPSTREAM' });
    expect([...exchange.rules]).toEqual(['identity-requires-https']);
  });

  it('refuses an https request that `upstreams` routes to an http:// origin', async () => {
    const src = source();
    const routes = new Map([[BACKEND, 'http://10.0.0.5:8080']]);
    const exchange = exchangeTo({ protocol: 'https:', host: BACKEND, port: 443 });
    const out = await run(orgIdentityStage(src, { routes }), exchange);
    expect(out.status).toBe(403);
    expect(out.sent).toHaveLength(0);
    expect(exchange.errorCode).toBe('LG_IDENTITY_INSECURE_UPSTREAM');
  });

  it('sends the identity through an `upstreams` route to an https:// origin', async () => {
    const routes = new Map([[BACKEND, 'https://10.0.0.5:8443']]);
    const out = await run(
      orgIdentityStage(source(), { routes }),
      exchangeTo({ protocol: 'https:', host: BACKEND, port: 443 }),
    );
    expect(out.status).toBe(200);
    expect(out.sent[0]?.authorization).toBe('DPoP access-token-xyz');
  });

  it('leaves plain-HTTP requests to other hosts alone', async () => {
    const out = await run(
      orgIdentityStage(source()),
      exchangeTo({ protocol: 'http:', host: 'example.com', port: 80 }),
    );
    expect(out.status).toBe(200);
    expect(out.sent[0]).toEqual({ authorization: 'Bearer client-own' });
  });
});

describe('identity failures on the way out', () => {
  const https443: Target = { protocol: 'https:', host: BACKEND, port: 443 };

  it('refuses with the failure’s own code and an identity reason, not as an unreachable upstream', async () => {
    const src = source({
      credentialsFor: () =>
        Promise.reject(
          new IdentityError('LG_IDENTITY_IDP_UNREACHABLE', 'cannot reach the identity provider'),
        ),
    });
    const exchange = exchangeTo(https443);
    const out = await run(orgIdentityStage(src), exchange);
    expect(out.error).toBeUndefined();
    expect(out.status).toBe(503);
    expect(out.sent).toHaveLength(0);
    expect(exchange).toMatchObject({ decision: 'block', errorCode: 'LG_IDENTITY_IDP_UNREACHABLE' });
    expect([...exchange.rules]).toEqual(['identity-unavailable']);
    expect(out.body).toContain('identity provider');
  });

  it('asks for a new sign-in when the IdP ended the session', async () => {
    const src = source({
      credentialsFor: () => Promise.reject(new IdentityError('LG_IDENTITY_SESSION_ENDED', 'ended')),
    });
    const exchange = exchangeTo(https443);
    const out = await run(orgIdentityStage(src), exchange);
    expect(out.status).toBe(401);
    expect(exchange.errorCode).toBe('LG_IDENTITY_SESSION_ENDED');
    expect(out.body).toContain('llmgate login');
  });

  it('names a keychain failure in the sign-in gate', async () => {
    const src = source({
      ensureSignedIn: () => Promise.reject(new IdentityError('LG_IDENTITY_KEYCHAIN_FAILED', 'locked')),
    });
    const exchange = exchangeTo({ protocol: 'https:', host: 'api.openai.com', port: 443 }, '/v1/models');
    const out = await run(signInGate(src), exchange);
    expect(out.status).toBe(503);
    expect(exchange.errorCode).toBe('LG_IDENTITY_KEYCHAIN_FAILED');
    expect(out.body).toContain('keychain');
  });

  it('reports an uncoded failure as LG_IDENTITY_IDP_ERROR', async () => {
    const src = source({ credentialsFor: () => Promise.reject(new Error('boom')) });
    const exchange = exchangeTo(https443);
    const out = await run(orgIdentityStage(src), exchange);
    expect(out.status).toBe(503);
    expect(exchange.errorCode).toBe('LG_IDENTITY_IDP_ERROR');
    expect(out.body).not.toContain('boom');
  });
});
