/**
 * The OpenID Provider, through openid-client 6: discovery, authorization code + PKCE, device
 * authorization grant, refresh and revocation, every token request with a DPoP proof (nonce retries are
 * openid-client's). Every failure leaves this module as an `IdentityError` with a stable code.
 */
import { rootCertificates } from 'node:tls';
import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { z } from 'zod';
import { IdentityError } from '../errors.js';
import type { DeviceKey } from './device-key.js';

export interface IdpOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** RFC 8707 resource indicator sent with every authorization and token request. */
  readonly resource?: string;
  /** Extra PEM roots for the IdP's TLS (config `upstreamCaFile`). */
  readonly extraCaPem?: string;
  /** Per-request timeout in seconds. */
  readonly timeoutSeconds?: number;
}

/** The user as the ID token describes them. */
export const userClaimsSchema = z.looseObject({
  sub: z.string().min(1),
  email: z.string().optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  groups: z.array(z.string()).optional(),
});
export type UserClaims = z.infer<typeof userClaimsSchema>;

/** A token endpoint response, validated once here. */
export interface TokenResult {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly idToken: string | undefined;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  readonly tokenType: string;
  readonly scope: string | undefined;
  /** Undefined when the response carried no ID token (a refresh usually does not). */
  readonly claims: UserClaims | undefined;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
  scope: z.string().optional(),
});

const deviceResponseSchema = z.looseObject({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.url(),
  verification_uri_complete: z.url().optional(),
  expires_in: z.number().positive(),
  interval: z.number().positive().optional(),
});

export interface BrowserLogin {
  readonly authorizationUrl: string;
  /** Exchanges the redirect the loopback listener received for tokens. */
  finish(callbackUrl: URL): Promise<TokenResult>;
}

export interface DeviceLogin {
  readonly verificationUri: string;
  readonly verificationUriComplete: string | undefined;
  readonly userCode: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** Polls until the user finishes, refuses, or the code expires; `signal` ends it early. */
  wait(signal: AbortSignal): Promise<TokenResult>;
}

/** The first socket or TLS error code down a cause chain (openid-client → fetch → socket). */
function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      /^(E[A-Z]+|UND_ERR_[A-Z_]+|ERR_TLS_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)$/.test(code)
    ) {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Removes every `body` property down a cause chain. oauth4webapi attaches the whole response body to the
 * errors it raises while processing a *successful* token response (`{ cause: { body } }`), and that body
 * holds the access and refresh tokens.
 */
function withoutBodies(err: unknown): unknown {
  const seen = new Set<object>();
  let current: unknown = err;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (seen.has(current)) break;
    seen.add(current);
    if (Object.prototype.hasOwnProperty.call(current, 'body')) delete (current as { body?: unknown }).body;
    current = (current as { cause?: unknown }).cause;
  }
  return err;
}

/** Names the failure the way a user can act on it; never includes token text, in the message or the cause. */
export function translateIdpError(err: unknown, during: string): IdentityError {
  if (err instanceof IdentityError) return err;
  // Kept only for error responses, timeouts and network failures, and with every `body` removed: a
  // processing error about a successful token response carries that response (tokens included).
  const options = { cause: withoutBodies(err) };
  const e = err as {
    error?: unknown;
    error_description?: unknown;
    name?: unknown;
    code?: unknown;
    cause?: unknown;
  };
  const oauthError = typeof e.error === 'string' ? e.error : undefined;
  const description = typeof e.error_description === 'string' ? `: ${e.error_description}` : '';
  switch (oauthError) {
    case 'access_denied':
      return new IdentityError(
        'LG_IDENTITY_DENIED',
        `sign-in was denied at the identity provider${description}. Run \`llmgate login\` to try again, or ask your IdP admin for access.`,
        options,
      );
    case 'expired_token':
      return new IdentityError(
        'LG_IDENTITY_EXPIRED',
        'the sign-in code expired before it was confirmed. Run `llmgate login` again and finish in the browser sooner.',
        options,
      );
    case 'invalid_grant':
      return new IdentityError(
        'LG_IDENTITY_SESSION_ENDED',
        `the identity provider ended this session during ${during}${description}. Run \`llmgate login\`.`,
        options,
      );
    case undefined:
      break;
    default:
      return new IdentityError(
        'LG_IDENTITY_IDP_ERROR',
        `the identity provider refused ${during}: ${oauthError}${description}`,
        options,
      );
  }
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    e.code === 'OAUTH_TIMEOUT' ||
    e.code === 'OAUTH_ABORT'
  ) {
    return new IdentityError(
      'LG_IDENTITY_TIMEOUT',
      `the identity provider did not answer ${during} in time`,
      options,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  const network = networkCode(err);
  if (network !== undefined || err instanceof TypeError || /fetch failed/i.test(message)) {
    return new IdentityError(
      'LG_IDENTITY_IDP_UNREACHABLE',
      `cannot reach the identity provider during ${during}${network === undefined ? '' : ` (${network})`}`,
      options,
    );
  }
  // A processing error (bad token type, ID token, claims) may be about a successful token response: no
  // cause at all, only its message, which oauth4webapi words without the response's values.
  return new IdentityError('LG_IDENTITY_IDP_ERROR', `${during} failed: ${message}`);
}

export class IdpClient {
  private readonly handles = new Map<string, oidc.DPoPHandle>();

  private constructor(
    private readonly config: oidc.Configuration,
    private readonly options: IdpOptions,
    private readonly dispatcher: Agent,
  ) {}

  /** Closes the pooled connections to the IdP (the daemon is stopping). */
  close(): Promise<void> {
    return this.dispatcher.close();
  }

  static async discover(options: IdpOptions): Promise<IdpClient> {
    const timeout = options.timeoutSeconds ?? 30;
    const ca = options.extraCaPem === undefined ? undefined : [...rootCertificates, options.extraCaPem];
    const dispatcher = new Agent({ connect: ca === undefined ? {} : { ca } });
    // undici's fetch with our agent, so the IdP is trusted the way upstreams are (upstreamCaFile).
    const fetchWithCa: oidc.CustomFetch = (url, init) =>
      undiciFetch(url, { ...init, dispatcher } as Parameters<
        typeof undiciFetch
      >[1]) as unknown as Promise<Response>;
    let config: oidc.Configuration;
    try {
      config = await oidc.discovery(new URL(options.issuer), options.clientId, undefined, oidc.None(), {
        [oidc.customFetch]: fetchWithCa,
        timeout,
      });
    } catch (err) {
      await dispatcher.close();
      throw translateIdpError(err, 'discovery');
    }
    config[oidc.customFetch] = fetchWithCa;
    config.timeout = timeout;
    return new IdpClient(config, options, dispatcher);
  }

  get issuer(): string {
    return this.config.serverMetadata().issuer;
  }

  /** One handle per key, so server nonces learnt on one request are reused on the next. */
  private dpop(key: DeviceKey): oidc.DPoPHandle {
    let handle = this.handles.get(key.thumbprint);
    if (handle === undefined) {
      handle = oidc.getDPoPHandle(this.config, key.keyPair);
      this.handles.set(key.thumbprint, handle);
    }
    return handle;
  }

  private resourceParams(): Record<string, string> {
    return this.options.resource === undefined ? {} : { resource: this.options.resource };
  }

  private result(
    response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
    now: number,
  ): TokenResult {
    const parsed = tokenResponseSchema.safeParse(response);
    if (!parsed.success) {
      throw new IdentityError(
        'LG_IDENTITY_IDP_ERROR',
        'the identity provider sent a malformed token response',
      );
    }
    const claimsRaw = response.claims();
    const claims = claimsRaw === undefined ? undefined : userClaimsSchema.safeParse(claimsRaw);
    if (claims !== undefined && !claims.success) {
      throw new IdentityError('LG_IDENTITY_IDP_ERROR', 'the ID token lacks a subject');
    }
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      idToken: t.id_token,
      // Without expires_in, assume a short life and refresh early rather than send a dead token.
      expiresAt: now + (t.expires_in ?? 300) * 1000,
      tokenType: t.token_type,
      scope: t.scope,
      claims: claims?.data,
    };
  }

  /** `state` is the caller's (the loopback receiver checks it too), e.g. from `oidc.randomState()`. */
  async startBrowserLogin(key: DeviceKey, redirectUri: string, state: string): Promise<BrowserLogin> {
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const challenge = await oidc.calculatePKCECodeChallenge(verifier);
    const url = oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: redirectUri,
      scope: this.options.scopes.join(' '),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      nonce,
      // Binds the authorization code to the device key (RFC 9449 section 10).
      dpop_jkt: key.thumbprint,
      ...this.resourceParams(),
    });
    return {
      authorizationUrl: url.href,
      finish: async (callbackUrl) => {
        const now = Date.now();
        try {
          const response = await oidc.authorizationCodeGrant(
            this.config,
            callbackUrl,
            { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
            { redirect_uri: redirectUri, ...this.resourceParams() },
            { DPoP: this.dpop(key) },
          );
          return this.result(response, now);
        } catch (err) {
          throw translateIdpError(err, 'sign-in');
        }
      },
    };
  }

  async startDeviceLogin(key: DeviceKey): Promise<DeviceLogin> {
    let response: oidc.DeviceAuthorizationResponse;
    const started = Date.now();
    try {
      response = await oidc.initiateDeviceAuthorization(this.config, {
        scope: this.options.scopes.join(' '),
        ...this.resourceParams(),
      });
    } catch (err) {
      throw translateIdpError(err, 'device sign-in');
    }
    const parsed = deviceResponseSchema.safeParse(response);
    if (!parsed.success) {
      throw new IdentityError(
        'LG_IDENTITY_IDP_ERROR',
        'the identity provider sent a malformed device authorization response',
      );
    }
    const expiresAt = started + parsed.data.expires_in * 1000;
    return {
      verificationUri: parsed.data.verification_uri,
      verificationUriComplete: parsed.data.verification_uri_complete,
      userCode: parsed.data.user_code,
      expiresAt,
      wait: async (signal) => {
        try {
          const tokens = await oidc.pollDeviceAuthorizationGrant(
            this.config,
            response,
            this.resourceParams(),
            {
              DPoP: this.dpop(key),
              // Ends at the code's expiry too, so a forgotten sign-in cannot poll forever.
              signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, expiresAt - Date.now()))]),
            },
          );
          return this.result(tokens, Date.now());
        } catch (err) {
          if (signal.aborted) throw translateIdpError(signal.reason, 'device sign-in');
          // Our own deadline (the code's expiry) surfaces as openid-client's timeout or abort.
          const e = err as { name?: unknown; code?: unknown };
          if (
            e.name === 'TimeoutError' ||
            e.name === 'AbortError' ||
            e.code === 'OAUTH_TIMEOUT' ||
            e.code === 'OAUTH_ABORT'
          ) {
            throw translateIdpError({ error: 'expired_token' }, 'device sign-in');
          }
          throw translateIdpError(err, 'device sign-in');
        }
      },
    };
  }

  async refresh(key: DeviceKey, refreshToken: string): Promise<TokenResult> {
    const now = Date.now();
    try {
      const response = await oidc.refreshTokenGrant(this.config, refreshToken, this.resourceParams(), {
        DPoP: this.dpop(key),
      });
      return this.result(response, now);
    } catch (err) {
      throw translateIdpError(err, 'token refresh');
    }
  }

  /** RFC 7009. Resolves false when the IdP has no revocation endpoint. */
  async revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<boolean> {
    if (this.config.serverMetadata().revocation_endpoint === undefined) return false;
    try {
      await oidc.tokenRevocation(this.config, token, { token_type_hint: hint });
      return true;
    } catch (err) {
      throw translateIdpError(err, 'revocation');
    }
  }
}
