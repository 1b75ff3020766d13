/**
 * An organisation's policy publisher for tests: an ES256 signing key (its public JWKS is what IT pins in
 * config) and a loopback HTTP server that serves the current signed policy with an ETag and answers
 * conditional requests with 304.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import type { PolicyDocumentInput } from '../../core/policy/index.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

export async function signPolicy(
  document: PolicyDocumentInput | Record<string, unknown>,
  key: SigningKey,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(document)))
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'llmgate-policy+jws' })
    .sign(key.privateKey);
}

/** Flips one character of the payload: the signature no longer matches. */
export function tamper(jws: string): string {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  json.defaultGroup = 'admins';
  return `${header}.${Buffer.from(JSON.stringify(json)).toString('base64url')}.${signature}`;
}

export interface PolicyServer {
  readonly url: string;
  /** What the server serves; `undefined` answers 503. */
  body: string | undefined;
  /** The JWKS served at `keysUrl`; `undefined` answers 503. */
  keys: string | undefined;
  readonly keysUrl: string;
  /** Requests seen, and how many were answered 304. */
  requests: number;
  notModified: number;
  close(): Promise<void>;
}

export async function startPolicyServer(): Promise<PolicyServer> {
  const state: { -readonly [K in keyof PolicyServer]: PolicyServer[K] } = {
    url: '',
    keysUrl: '',
    body: undefined,
    keys: undefined,
    requests: 0,
    notModified: 0,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    if (req.url === '/keys.json') {
      if (state.keys === undefined) res.writeHead(503).end('unavailable');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(state.keys);
      return;
    }
    state.requests++;
    if (state.body === undefined) {
      res.writeHead(503).end('unavailable');
      return;
    }
    const etag = `"${createHash('sha256').update(state.body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      state.notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/jose', etag }).end(state.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/policy.jws`;
  state.keysUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys.json`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
