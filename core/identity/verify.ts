/**
 * For the organisation's backends: checks that a request carries a DPoP-bound access token and a fresh
 * proof from the key the token is bound to (RFC 9449 section 7.1), so the backend knows which employee
 * sent it and from which device. Example: docs/identity.md ("A backend verifying llmgate's identity").
 */
import { EmbeddedJWK, calculateJwkThumbprint, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { CodedTypeError, IdentityError, LlmgateError } from '../errors.js';
import { accessTokenHash, htuOf } from './proof.js';

/** What the backend learns about the access token (an introspection response, or a verified JWT). */
export const tokenInfoSchema = z.looseObject({
  active: z.boolean(),
  sub: z.string().optional(),
  client_id: z.string().optional(),
  scope: z.string().optional(),
  exp: z.number().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  cnf: z.looseObject({ jkt: z.string().optional() }).optional(),
});
export type TokenInfo = z.infer<typeof tokenInfoSchema>;

export type TokenResolver = (accessToken: string) => Promise<TokenInfo>;

/** Remembers proof ids (`jti`) until their proofs are too old to be accepted anyway. */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  /** True the first time a `jti` is offered, false on every replay. */
  accept(jti: string, expiresAtSeconds: number, nowSeconds: number): boolean {
    if (this.seen.size > 10_000) {
      for (const [id, exp] of this.seen) if (exp < nowSeconds) this.seen.delete(id);
    }
    const known = this.seen.get(jti);
    if (known !== undefined && known >= nowSeconds) return false;
    this.seen.set(jti, expiresAtSeconds);
    return true;
  }
}

export interface VerifyDpopRequestOptions {
  readonly method: string;
  /** The URL as the client addressed it (the backend's public URL, not its listen address). */
  readonly url: string;
  /** The `Authorization` header. */
  readonly authorization: string | string[] | undefined;
  /** The `DPoP` header. */
  readonly dpop: string | string[] | undefined;
  readonly resolveToken: TokenResolver;
  /**
   * This backend's identifier at the IdP (its RFC 8707 resource, e.g. `https://llm-api.corp.example`): the
   * token's `aud` must name it, so a token issued for another service is not accepted here.
   */
  readonly audience: string;
  readonly replayCache: ReplayCache;
  /** Oldest proof accepted, in seconds (default 60). */
  readonly maxAgeSeconds?: number;
  /** A nonce the proof must carry, when the backend issues `DPoP-Nonce`. */
  readonly nonce?: string;
  /** Seconds since the epoch (tests freeze the clock). */
  readonly now?: number;
}

export interface VerifiedRequest {
  readonly subject: string;
  /** RFC 7638 thumbprint of the device key that signed the proof. */
  readonly thumbprint: string;
  readonly token: TokenInfo;
}

const proofClaimsSchema = z.looseObject({
  jti: z.string().min(1),
  htm: z.string(),
  htu: z.string(),
  iat: z.number(),
  ath: z.string().optional(),
  nonce: z.string().optional(),
});

const invalid = (message: string): IdentityError => new IdentityError('LG_IDENTITY_PROOF_INVALID', message);

/** The token as the resolver describes it; a resolver or network failure is an invalid token, with cause. */
async function resolve(resolver: TokenResolver, accessToken: string): Promise<TokenInfo> {
  let raw: unknown;
  try {
    raw = await resolver(accessToken);
  } catch (err) {
    if (LlmgateError.is(err) && err.code === 'LG_IDENTITY_TOKEN_INVALID') throw err;
    throw new IdentityError('LG_IDENTITY_TOKEN_INVALID', 'the access token could not be checked', {
      cause: err,
    });
  }
  const parsed = tokenInfoSchema.safeParse(raw);
  if (!parsed.success) {
    throw new IdentityError('LG_IDENTITY_TOKEN_INVALID', 'the token resolver returned a malformed answer');
  }
  return parsed.data;
}

export async function verifyDpopRequest(options: VerifyDpopRequestOptions): Promise<VerifiedRequest> {
  if (typeof options.audience !== 'string' || options.audience === '') {
    throw new CodedTypeError(
      "options.audience must be the backend's identifier at the IdP (a non-empty string)",
    );
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const maxAge = options.maxAgeSeconds ?? 60;
  if (
    typeof options.authorization !== 'string' ||
    !/^DPoP [A-Za-z0-9\-._~+/]+=*$/.test(options.authorization)
  ) {
    throw new IdentityError('LG_IDENTITY_TOKEN_INVALID', 'expected "Authorization: DPoP <token>"');
  }
  if (typeof options.dpop !== 'string') throw invalid('expected exactly one DPoP header');
  const accessToken = options.authorization.slice('DPoP '.length);
  const proof = options.dpop;

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw invalid('the DPoP proof is not a JWS');
  }
  if (header.typ !== 'dpop+jwt') throw invalid('the DPoP proof must have typ dpop+jwt');
  if (header.jwk === undefined || 'd' in header.jwk) throw invalid('the DPoP proof must carry a public jwk');

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: ['ES256', 'ES384', 'EdDSA', 'PS256', 'RS256'],
      currentDate: new Date(now * 1000),
    }));
  } catch (err) {
    throw new IdentityError('LG_IDENTITY_PROOF_INVALID', 'the DPoP proof signature does not verify', {
      cause: err,
    });
  }
  const claims = proofClaimsSchema.safeParse(payload);
  if (!claims.success) throw invalid('the DPoP proof lacks jti, htm, htu or iat');
  const c = claims.data;
  if (c.htm !== options.method.toUpperCase())
    throw invalid(`the DPoP proof is for ${c.htm}, not ${options.method}`);
  let htu: string;
  try {
    htu = htuOf(c.htu);
  } catch {
    throw invalid('the DPoP proof htu is not a URL');
  }
  if (htu !== htuOf(options.url)) throw invalid('the DPoP proof is for another URL');
  if (c.iat > now + 5 || c.iat < now - maxAge) throw invalid('the DPoP proof is too old or from the future');
  if (c.ath !== accessTokenHash(accessToken))
    throw invalid('the DPoP proof is not bound to this access token (ath)');
  if (options.nonce !== undefined && c.nonce !== options.nonce) {
    // Its own code, so the backend can answer `use_dpop_nonce` with a fresh `DPoP-Nonce` (section 9).
    throw new IdentityError('LG_IDENTITY_PROOF_NONCE', 'the DPoP proof lacks the current nonce');
  }

  const thumbprint = await calculateJwkThumbprint(header.jwk, 'sha256');
  const token = await resolve(options.resolveToken, accessToken);
  if (!token.active || token.sub === undefined) {
    throw new IdentityError('LG_IDENTITY_TOKEN_INVALID', 'the access token is not active');
  }
  const audiences = token.aud === undefined ? [] : Array.isArray(token.aud) ? token.aud : [token.aud];
  if (!audiences.includes(options.audience)) {
    throw new IdentityError('LG_IDENTITY_TOKEN_INVALID', 'the access token was issued for another audience');
  }
  if (token.cnf?.jkt !== thumbprint) {
    throw new IdentityError(
      'LG_IDENTITY_KEY_MISMATCH',
      'the access token is bound to another key than the one that signed the proof',
    );
  }
  // Checked last, so a proof that fails any other check does not burn its jti.
  if (!options.replayCache.accept(`${thumbprint}:${c.jti}`, c.iat + maxAge + 5, now)) {
    throw new IdentityError('LG_IDENTITY_PROOF_REPLAYED', 'this DPoP proof was already used');
  }
  return { subject: token.sub, thumbprint, token };
}

/** The minimal fetch the resolver needs (global `fetch` fits; tests pass one with their own CA). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{ status: number; json(): Promise<unknown> }>;

export interface IntrospectionOptions {
  /** The IdP's RFC 7662 introspection endpoint. */
  readonly endpoint: string;
  /** The backend's own confidential client at the IdP. */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly fetch?: FetchLike;
}

/** Resolves tokens by RFC 7662 introspection (opaque tokens, or JWTs when revocation must be seen). */
export function introspectionResolver(options: IntrospectionOptions): TokenResolver {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const basic = Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64');
  return async (accessToken) => {
    let res: Awaited<ReturnType<FetchLike>>;
    let body: unknown;
    try {
      res = await doFetch(options.endpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token: accessToken }).toString(),
      });
      if (res.status !== 200) {
        throw new IdentityError(
          'LG_IDENTITY_TOKEN_INVALID',
          `token introspection answered HTTP ${res.status}`,
        );
      }
      body = await res.json();
    } catch (err) {
      if (LlmgateError.is(err)) throw err;
      throw new IdentityError('LG_IDENTITY_TOKEN_INVALID', 'token introspection failed', { cause: err });
    }
    const parsed = tokenInfoSchema.safeParse(body);
    if (!parsed.success)
      throw new IdentityError('LG_IDENTITY_TOKEN_INVALID', 'malformed introspection response');
    return parsed.data;
  };
}
