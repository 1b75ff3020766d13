/**
 * The organisation's own backend, as docs/identity.md tells one to be written: it verifies llmgate's
 * DPoP proof and the access token (introspected at the IdP, `cnf.jkt` compared) with the core helper,
 * and answers who called. It records what arrived so tests can replay it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { LlmgateError } from '../../core/errors.js';
import {
  ReplayCache,
  introspectionResolver,
  verifyDpopRequest,
  type FetchLike,
} from '../../core/identity/index.js';
import { BACKEND_CLIENT_ID, BACKEND_CLIENT_SECRET, BACKEND_RESOURCE, type TestIdp } from './idp.js';
import type { TestPki } from './test-pki.js';

export const BACKEND_HOST = 'backend.corp.example';

export interface OrgBackend {
  readonly origin: string;
  readonly received: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** When set, proofs must carry this nonce; others get `use_dpop_nonce` (RFC 9449 section 9). */
  nonce: string | undefined;
  close(): Promise<void>;
}

export async function startOrgBackend(pki: TestPki, idp: TestIdp): Promise<OrgBackend> {
  const dispatcher = new Agent({ connect: { ca: pki.caPem } });
  const fetchWithCa: FetchLike = async (url, init) => {
    const res = await undiciFetch(url, { ...init, dispatcher });
    return { status: res.status, json: () => res.json() };
  };
  const resolveToken = introspectionResolver({
    endpoint: idp.introspectionEndpoint,
    clientId: BACKEND_CLIENT_ID,
    clientSecret: BACKEND_CLIENT_SECRET,
    fetch: fetchWithCa,
  });
  const replayCache = new ReplayCache();
  const received: OrgBackend['received'] = [];
  const backend = { nonce: undefined as string | undefined };
  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
    req.resume();
    received.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    verifyDpopRequest({
      method: req.method ?? 'GET',
      // The public URL the client addressed, not this loopback listener's.
      url: `https://${BACKEND_HOST}${req.url ?? '/'}`,
      authorization: req.headers.authorization,
      dpop: req.headers.dpop,
      resolveToken,
      audience: BACKEND_RESOURCE,
      replayCache,
      ...(backend.nonce === undefined ? {} : { nonce: backend.nonce }),
    }).then(
      (who) => {
        const body = JSON.stringify({ subject: who.subject, thumbprint: who.thumbprint });
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      },
      (err: unknown) => {
        const code = LlmgateError.is(err) ? err.code : 'internal';
        if (code === 'LG_IDENTITY_PROOF_NONCE') {
          res
            .writeHead(401, {
              'content-type': 'application/json',
              'www-authenticate':
                'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
              'dpop-nonce': backend.nonce!,
            })
            .end(JSON.stringify({ error: code }));
          return;
        }
        res
          .writeHead(401, {
            'content-type': 'application/json',
            'www-authenticate': 'DPoP error="invalid_token"',
          })
          .end(JSON.stringify({ error: code, message: (err as Error).message }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(backend, {
    origin: `https://127.0.0.1:${port}`,
    received,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dispatcher.close();
    },
  });
}
