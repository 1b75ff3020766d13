/**
 * Identity on the way out: the sign-in gate (`oidc.requireSignIn`), the DPoP-bound token and a fresh
 * proof for the organisation's own backends (`identity.audiences`), and at most a keyed hash of the
 * user id for provider hosts that config names. Any other host gets no identity at all.
 */
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

/** What the stage needs from the daemon's identity service. */
export interface IdentitySource {
  readonly requireSignIn: boolean;
  /** Signed in with a usable (or refreshable) token; refreshes first when due. */
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

/** Learns the backend's `DPoP-Nonce` (RFC 9449 section 9) for the next proof. */
class NonceHandler extends PassThroughHandler {
  constructor(
    inner: ResponseHandler,
    private readonly origin: string,
    private readonly source: IdentitySource,
  ) {
    super(inner);
  }
  override onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void {
    const nonce = headers['dpop-nonce'];
    if (typeof nonce === 'string' && nonce !== '') this.source.noteBackendNonce(this.origin, nonce);
    super.onResponseStart(controller, status, headers);
  }
}

function originOf(exchange: Exchange): string {
  const { protocol, host, port } = exchange.target;
  const defaultPort = protocol === 'https:' ? 443 : 80;
  const h = host.includes(':') ? `[${host}]` : host;
  return port === defaultPort ? `${protocol}//${h}` : `${protocol}//${h}:${port}`;
}

async function attach(exchange: Exchange, handler: ResponseHandler, source: IdentitySource, next: Dispatch) {
  const host = exchange.target.host;
  if (source.isAudience(host)) {
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
    next(exchange, new NonceHandler(handler, origin, source));
    return;
  }
  if (source.requireSignIn && !(await source.ensureSignedIn())) {
    refuse(exchange, handler, SIGN_IN_REQUIRED);
    return;
  }
  const hash = source.userHashFor(host);
  if (hash !== undefined) exchange.headers = { ...exchange.headers, [hash.header]: hash.value };
  next(exchange, handler);
}

export function identityStage(source: IdentitySource): Stage {
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    attach(exchange, handler, source, next).catch((err: unknown) => {
      exchange.errorCode ??= 'LG_IDENTITY_NOT_SIGNED_IN';
      handler.onResponseError(undefined, err instanceof Error ? err : new Error(String(err)));
    });
  };
}
