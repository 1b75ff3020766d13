/**
 * Identity on the way out, in two stages:
 * - `signInGate` (outer, before scanning): refuses requests while nobody is signed in
 *   (`oidc.requireSignIn`), and gives provider hosts that config names a keyed hash of the user id.
 * - `orgIdentityStage` (innermost, just before upstream): gives the organisation's own backends
 *   (`identity.audiences`) the DPoP-bound token and a fresh proof, and answers a backend's
 *   `use_dpop_nonce` challenge by resending once with the nonce, invisibly to the client. Innermost, so
 *   a resend is not scanned or tapped twice. Only over https: a backend reached over plain HTTP (an
 *   `http://` request in http-proxy mode, or an `upstreams` route to an `http://` origin) is refused,
 *   since anyone on the path could take the token and a proof.
 * Any other host gets no identity at all.
 */
import { LlmgateError } from '../errors.js';
import type { BackendCredentials } from '../identity/index.js';
import { refuse, type RefusalReason } from './refuse.js';
import {
  PassThroughHandler,
  type Dispatch,
  type Exchange,
  type ResponseHandler,
  type Stage,
  type StreamController,
} from './types.js';

/** What the stages need from the daemon's identity service. */
export interface IdentitySource {
  readonly requireSignIn: boolean;
  /** Signed in with a usable token; refreshes first when due. */
  ensureSignedIn(): Promise<boolean>;
  isAudience(host: string): boolean;
  credentialsFor(method: string, url: string): Promise<BackendCredentials | undefined>;
  noteBackendNonce(origin: string, nonce: string): void;
  userHashFor(host: string): { header: string; value: string } | undefined;
}

export const SIGN_IN_REQUIRED: RefusalReason = {
  status: 401,
  rule: 'sign-in-required',
  code: 'LG_IDENTITY_NOT_SIGNED_IN',
  reason: 'llmgate requires you to sign in before requests leave this machine.',
  fix: 'Run `llmgate login` (or `llmgate login --device-code` on a machine without a browser).',
};

export const BACKEND_NEEDS_HTTPS: RefusalReason = {
  status: 403,
  rule: 'identity-requires-https',
  code: 'LG_IDENTITY_INSECURE_UPSTREAM',
  reason:
    'llmgate sends your sign-in to this organisation backend only over HTTPS, and this request would go over plain HTTP.',
  fix: "Use the backend's https:// URL, and make any `upstreams` entry for this host an https:// origin.",
};

export interface OrgIdentityStageOptions {
  /** The proxy's `upstreams` routes (host → origin), as the upstream stage uses them. */
  readonly routes?: ReadonlyMap<string, string>;
}

/** Whether the request reaches its upstream over TLS: the client's scheme, and the routed origin if any. */
function upstreamIsHttps(exchange: Exchange, routes: ReadonlyMap<string, string> | undefined): boolean {
  if (exchange.target.protocol !== 'https:') return false;
  const routed = routes?.get(exchange.target.host);
  return routed === undefined || new URL(routed).protocol === 'https:';
}

function originOf(exchange: Exchange): string {
  const { protocol, host, port } = exchange.target;
  const defaultPort = protocol === 'https:' ? 443 : 80;
  const h = host.includes(':') ? `[${host}]` : host;
  return port === defaultPort ? `${protocol}//${h}` : `${protocol}//${h}:${port}`;
}

/**
 * The refusal for a request whose identity could not be had (the IdP unreachable during a refresh, the
 * keychain failing, the session ended): the error's own code, and what the user can do about it.
 */
export function identityFailure(err: unknown): RefusalReason {
  const code = LlmgateError.is(err) ? err.code : 'LG_IDENTITY_IDP_ERROR';
  switch (code) {
    case 'LG_IDENTITY_IDP_UNREACHABLE':
    case 'LG_IDENTITY_TIMEOUT':
      return {
        status: 503,
        rule: 'identity-unavailable',
        code,
        reason:
          'llmgate could not renew your sign-in for this request: the identity provider did not answer.',
        fix: 'Check your network (and `upstreamCaFile` if the identity provider uses a private CA), then retry; `llmgate status` shows the sign-in.',
      };
    case 'LG_IDENTITY_SESSION_ENDED':
    case 'LG_IDENTITY_NOT_SIGNED_IN':
      return {
        ...SIGN_IN_REQUIRED,
        code,
        reason: 'llmgate has no valid sign-in for this request (it ended or expired).',
      };
    case 'LG_IDENTITY_NO_KEYCHAIN':
    case 'LG_IDENTITY_KEYCHAIN_FAILED':
      return {
        status: 503,
        rule: 'identity-unavailable',
        code,
        reason: 'llmgate could not read your sign-in or device key from the keychain for this request.',
        fix: 'Unlock the OS keychain (Secret Service, Keychain, Credential Manager) and retry; `llmgate status` names the problem.',
      };
    default:
      return {
        status: 503,
        rule: 'identity-unavailable',
        code,
        reason: 'llmgate could not attach your sign-in to this request.',
        fix: 'Run `llmgate status` to see the sign-in state; run `llmgate login` if it is signed out or expired.',
      };
  }
}

function failed(exchange: Exchange, handler: ResponseHandler, err: unknown): void {
  refuse(exchange, handler, identityFailure(err));
}

async function gate(exchange: Exchange, handler: ResponseHandler, source: IdentitySource, next: Dispatch) {
  const host = exchange.target.host;
  // Org backends are gated by the inner stage, which needs the token anyway.
  if (!source.isAudience(host) && source.requireSignIn && !(await source.ensureSignedIn())) {
    refuse(exchange, handler, SIGN_IN_REQUIRED);
    return;
  }
  const hash = source.userHashFor(host);
  if (hash !== undefined) exchange.headers = { ...exchange.headers, [hash.header]: hash.value };
  next(exchange, handler);
}

export function signInGate(source: IdentitySource): Stage {
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    gate(exchange, handler, source, next).catch((err: unknown) => failed(exchange, handler, err));
  };
}

/**
 * Learns the backend's `DPoP-Nonce` (RFC 9449 section 9); on a `use_dpop_nonce` challenge, swallows that
 * 401 and calls `resend` instead (once).
 */
class BackendHandler extends PassThroughHandler {
  private swallowing = false;
  constructor(
    inner: ResponseHandler,
    private readonly origin: string,
    private readonly source: IdentitySource,
    private readonly resend: (() => void) | undefined,
  ) {
    super(inner);
  }
  override onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void {
    const nonce = headers['dpop-nonce'];
    if (typeof nonce === 'string' && nonce !== '') {
      this.source.noteBackendNonce(this.origin, nonce);
      if (
        this.resend !== undefined &&
        status === 401 &&
        /use_dpop_nonce/.test(String(headers['www-authenticate'] ?? ''))
      ) {
        this.swallowing = true;
        return;
      }
    }
    super.onResponseStart(controller, status, headers);
  }
  override onResponseData(controller: StreamController, chunk: Buffer): void {
    if (!this.swallowing) super.onResponseData(controller, chunk);
  }
  override onResponseEnd(controller: StreamController): void {
    if (this.swallowing) this.resend!();
    else super.onResponseEnd(controller);
  }
}

async function attach(
  exchange: Exchange,
  handler: ResponseHandler,
  source: IdentitySource,
  next: Dispatch,
  mayResend: boolean,
) {
  const origin = originOf(exchange);
  const credentials = await source.credentialsFor(exchange.method, `${origin}${exchange.url}`);
  // An org backend is useless without the identity: refuse rather than send it anonymously.
  if (credentials === undefined) {
    refuse(exchange, handler, SIGN_IN_REQUIRED);
    return;
  }
  // The client's own credentials are replaced: on these hosts llmgate speaks for the user.
  const headers = { ...exchange.headers };
  delete headers.authorization;
  delete headers.dpop;
  headers.authorization = credentials.authorization;
  headers.dpop = credentials.dpop;
  exchange.headers = headers;
  const resend = mayResend
    ? () => {
        attach(exchange, handler, source, next, false).catch((err: unknown) =>
          failed(exchange, handler, err),
        );
      }
    : undefined;
  next(exchange, new BackendHandler(handler, origin, source, resend));
}

export function orgIdentityStage(source: IdentitySource, options: OrgIdentityStageOptions = {}): Stage {
  const routes = options.routes;
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    if (!source.isAudience(exchange.target.host)) {
      next(exchange, handler);
      return;
    }
    if (!upstreamIsHttps(exchange, routes)) {
      refuse(exchange, handler, BACKEND_NEEDS_HTTPS);
      return;
    }
    attach(exchange, handler, source, next, true).catch((err: unknown) => failed(exchange, handler, err));
  };
}
