/**
 * The daemon's identity state: the secret store, the device key, the signed-in session, sign-in flows in
 * progress and the refresh timer. Faces reach it through the control API only.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { IdentityError, LlmgateError } from '../errors.js';
import { SoftwareDeviceKeyStore, type DeviceKey, type DeviceKeyStore } from './device-key.js';
import { IdpClient, type TokenResult } from './idp.js';
import { startLoopbackReceiver } from './loopback.js';
import { createProof } from './proof.js';
import {
  KeychainStore,
  NO_KEYCHAIN_HELP,
  PlaintextFileStore,
  probeKeychain,
  type SecretStore,
} from './secret-store.js';
import { deleteSession, loadSession, saveSession, type Session } from './session.js';

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly resource?: string | undefined;
  readonly requireSignIn: boolean;
  readonly refreshAheadSeconds: number;
  readonly loginTimeoutSeconds: number;
}

export interface IdentitySettings {
  readonly audiences: readonly string[];
  readonly providerUserHash?: { readonly hosts: readonly string[]; readonly header: string } | undefined;
  readonly allowPlaintextFileStore: boolean;
}

export interface IdentityServiceOptions {
  readonly home: string;
  readonly oidc: OidcSettings;
  readonly identity: IdentitySettings;
  readonly extraCaPem?: string | undefined;
  /** Operational messages only: never a token, an authorization code or a user claim (email, name). */
  readonly log?: (line: string) => void;
  /** Replaces the keychain (tests of the file-store path, a hardware store later). */
  readonly secretStore?: SecretStore;
  readonly deviceKeyStore?: DeviceKeyStore;
}

/** `llmgate status`'s identity block (the control API's `IdentityStatus`). */
export interface IdentityStatus {
  configured: true;
  issuer: string;
  clientId: string;
  requireSignIn: boolean;
  signedIn: boolean;
  user: string | null;
  subject: string | null;
  name: string | null;
  groups: string[];
  /** ISO time the access token expires (it is refreshed before). */
  expiresAt: string | null;
  deviceThumbprint: string | null;
  store: 'keychain' | 'file' | 'unavailable';
  audiences: string[];
  warnings: string[];
}

export type LoginMethod = 'browser' | 'device';

export interface LoginStart {
  flowId: string;
  method: LoginMethod;
  authorizationUrl?: string;
  verificationUri?: string;
  verificationUriComplete?: string;
  userCode?: string;
  expiresAt: string;
}

export type LoginWait = { state: 'pending' } | { state: 'signed-in'; identity: IdentityStatus };

export interface LogoutResult {
  signedOut: true;
  /** Whether the IdP confirmed revocation of the refresh token (RFC 7009). */
  revoked: boolean;
  user: string | null;
}

/** Headers that carry the identity to one of the organisation's backends. */
export interface BackendCredentials {
  authorization: string;
  dpop: string;
}

interface Flow {
  readonly id: string;
  readonly done: Promise<Session>;
  readonly cancel: () => void;
  outcome: { ok: true } | { ok: false; error: IdentityError } | undefined;
}

const USER_HASH_KEY = 'user-hash-key';
const RETRY_MS = 30_000;

/** The audit log's `user`: email, else preferred username, else subject. */
function userOf(session: Session): string {
  const claims = session.claims;
  return claims.email ?? claims.preferred_username ?? claims.sub;
}

export class IdentityService {
  private session: Session | undefined;
  private idp: Promise<IdpClient> | undefined;
  private flow: Flow | undefined;
  /** startLogin calls, one after the other: each replaces the flow the previous one set up. */
  private loginQueue: Promise<unknown> = Promise.resolve();
  private refreshing: Promise<void> | undefined;
  /** After a failed refresh, requests start no other before this time (ms); the timer retries meanwhile. */
  private nextRefreshAttemptAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private userHashKey: Buffer | undefined;
  private deviceKey: DeviceKey | undefined;
  private readonly backendNonces = new Map<string, string>();
  private closed = false;

  private constructor(
    private readonly options: IdentityServiceOptions,
    private readonly store: SecretStore | undefined,
    private readonly storeProblem: IdentityError | undefined,
    private readonly keys: DeviceKeyStore | undefined,
  ) {}

  /** Opens the store and restores a previous session without network: sign-in survives restarts. */
  static async open(options: IdentityServiceOptions): Promise<IdentityService> {
    let store = options.secretStore;
    let problem: IdentityError | undefined;
    if (store === undefined) {
      const keychain = new KeychainStore(options.home);
      problem = await probeKeychain(keychain);
      if (problem === undefined) store = keychain;
      else if (options.identity.allowPlaintextFileStore) {
        store = new PlaintextFileStore(path.join(options.home, 'identity', 'secrets.json'));
        problem = undefined;
      }
    }
    const keys =
      store === undefined ? undefined : (options.deviceKeyStore ?? new SoftwareDeviceKeyStore(store));
    const service = new IdentityService(options, store, problem, keys);
    if (store !== undefined && keys !== undefined) {
      try {
        const session = await loadSession(store);
        const key = await keys.load();
        if (
          session !== undefined &&
          key !== undefined &&
          session.issuer === options.oidc.issuer &&
          session.clientId === options.oidc.clientId &&
          session.jkt === key.thumbprint
        ) {
          service.session = session;
          service.deviceKey = key;
          service.userHashKey = await service.loadUserHashKey(true);
          service.scheduleRefresh();
        }
      } catch (err) {
        options.log?.(`identity: cannot restore the session: ${(err as LlmgateError).code ?? 'error'}`);
      }
    }
    return service;
  }

  private log(line: string): void {
    this.options.log?.(`identity: ${line}`);
  }

  private requireStore(): { store: SecretStore; keys: DeviceKeyStore } {
    if (this.store === undefined || this.keys === undefined) {
      throw this.storeProblem ?? new IdentityError('LG_IDENTITY_NO_KEYCHAIN', NO_KEYCHAIN_HELP);
    }
    return { store: this.store, keys: this.keys };
  }

  private client(): Promise<IdpClient> {
    this.idp ??= IdpClient.discover({
      issuer: this.options.oidc.issuer,
      clientId: this.options.oidc.clientId,
      scopes: this.options.oidc.scopes,
      resource: this.options.oidc.resource,
      extraCaPem: this.options.extraCaPem,
    }).catch((err: unknown) => {
      // A failed discovery is retried on the next call, not cached forever.
      this.idp = undefined;
      throw err;
    });
    return this.idp;
  }

  get signedIn(): boolean {
    return this.session !== undefined && this.session.expiresAt > Date.now();
  }

  /** Signed in with a token that is valid now; waits for a refresh only when the token has expired. */
  async ensureSignedIn(): Promise<boolean> {
    await this.refreshIfDue();
    return this.signedIn;
  }

  /**
   * Inside the refresh-ahead window, starts a refresh in the background: the token is still valid, so
   * the request goes on with it. Only an expired token makes the caller wait. After a failure, no
   * request starts another before `nextRefreshAttemptAt` (the timer retries on its own).
   */
  private refreshIfDue(): Promise<void> | undefined {
    const s = this.session;
    if (s === undefined || s.refreshToken === undefined) return undefined;
    const now = Date.now();
    if (s.expiresAt - this.options.oidc.refreshAheadSeconds * 1000 > now) return undefined;
    if (this.refreshing === undefined && now < this.nextRefreshAttemptAt) return undefined;
    const refreshed = this.refreshNow().catch(() => {});
    return s.expiresAt > now ? undefined : refreshed;
  }

  get requireSignIn(): boolean {
    return this.options.oidc.requireSignIn;
  }

  /** The audit log's `user`: email, else preferred username, else subject. */
  get user(): string | null {
    return this.session === undefined ? null : userOf(this.session);
  }

  /** The signed-in user's group claims (empty when signed out): what policy evaluates. */
  get groups(): readonly string[] {
    return this.session?.claims.groups ?? [];
  }

  get deviceThumbprint(): string | undefined {
    return this.session === undefined ? undefined : this.deviceKey?.thumbprint;
  }

  isAudience(host: string): boolean {
    return this.options.identity.audiences.includes(host);
  }

  status(): IdentityStatus {
    const s = this.session;
    const warnings: string[] = [];
    if (this.store === undefined) warnings.push(this.storeProblem?.message ?? NO_KEYCHAIN_HELP);
    else if (this.store.kind === 'file')
      warnings.push(
        'tokens and the device key are in a plaintext file (identity.allowPlaintextFileStore): anyone who can read it can act as you',
      );
    if (s !== undefined && s.expiresAt <= Date.now())
      warnings.push('the access token has expired and could not be refreshed; run `llmgate login`');
    return {
      configured: true,
      issuer: this.options.oidc.issuer,
      clientId: this.options.oidc.clientId,
      requireSignIn: this.options.oidc.requireSignIn,
      signedIn: this.signedIn,
      user: this.user,
      subject: s?.claims.sub ?? null,
      name: s?.claims.name ?? null,
      groups: s?.claims.groups ?? [],
      expiresAt: s === undefined ? null : new Date(s.expiresAt).toISOString(),
      deviceThumbprint: this.deviceThumbprint ?? null,
      store: this.store?.kind ?? 'unavailable',
      audiences: [...this.options.identity.audiences],
      warnings,
    };
  }

  /**
   * Starts a sign-in; a second one replaces the first. Calls run one after the other, so two started
   * together cannot both leave a live flow (and a listening loopback receiver) behind.
   */
  startLogin(method: LoginMethod): Promise<LoginStart> {
    const started = this.loginQueue.then(() => this.doStartLogin(method));
    this.loginQueue = started.catch(() => {});
    return started;
  }

  private async doStartLogin(method: LoginMethod): Promise<LoginStart> {
    const { keys } = this.requireStore();
    this.flow?.cancel();
    this.flow = undefined;
    const key = await keys.loadOrCreate();
    const idp = await this.client();
    const id = randomUUID();
    const controller = new AbortController();
    const timeoutMs = this.options.oidc.loginTimeoutSeconds * 1000;
    let start: LoginStart;
    let tokens: Promise<TokenResult>;
    let cancel: () => void;
    if (method === 'browser') {
      const state = randomBytes(32).toString('base64url');
      const receiver = await startLoopbackReceiver({ timeoutMs, state });
      const login = await idp.startBrowserLogin(key, receiver.redirectUri, state).catch((err: unknown) => {
        receiver.close();
        throw err;
      });
      tokens = receiver.received.then((url) => login.finish(url));
      cancel = () => receiver.close();
      start = {
        flowId: id,
        method,
        authorizationUrl: login.authorizationUrl,
        expiresAt: new Date(Date.now() + timeoutMs).toISOString(),
      };
    } else {
      const login = await idp.startDeviceLogin(key);
      tokens = login.wait(controller.signal);
      cancel = () => controller.abort(new IdentityError('LG_IDENTITY_NO_LOGIN', 'sign-in was cancelled'));
      start = {
        flowId: id,
        method,
        verificationUri: login.verificationUri,
        userCode: login.userCode,
        expiresAt: new Date(login.expiresAt).toISOString(),
        ...(login.verificationUriComplete === undefined
          ? {}
          : { verificationUriComplete: login.verificationUriComplete }),
      };
    }
    const flow: Flow = {
      id,
      cancel,
      outcome: undefined,
      done: tokens.then((t) => this.completeLogin(key, t, idp.issuer)),
    };
    flow.done.then(
      () => (flow.outcome = { ok: true }),
      (err: unknown) => {
        const error =
          err instanceof IdentityError
            ? err
            : new IdentityError('LG_IDENTITY_IDP_ERROR', 'sign-in failed', { cause: err });
        flow.outcome = { ok: false, error };
        this.log(`sign-in failed: ${error.code}`);
      },
    );
    this.flow = flow;
    return start;
  }

  /** Waits up to `maxWaitMs` for the flow; rejects with the flow's error (denied, expired, timed out). */
  async waitLogin(flowId: string, maxWaitMs: number): Promise<LoginWait> {
    const flow = this.flow;
    if (flow === undefined || flow.id !== flowId) {
      throw new IdentityError(
        'LG_IDENTITY_NO_LOGIN',
        'no such sign-in in progress (another one replaced it?); run `llmgate login` again',
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const pending = new Promise<'pending'>(
      (resolve) => (timer = setTimeout(() => resolve('pending'), maxWaitMs)),
    );
    try {
      const result = await Promise.race([flow.done.then(() => 'done' as const), pending]);
      if (result === 'pending') return { state: 'pending' };
      return { state: 'signed-in', identity: this.status() };
    } catch {
      if (flow.outcome?.ok === false) throw flow.outcome.error;
      throw new IdentityError('LG_IDENTITY_IDP_ERROR', 'sign-in failed');
    } finally {
      clearTimeout(timer);
    }
  }

  private async completeLogin(key: DeviceKey, tokens: TokenResult, issuer: string): Promise<Session> {
    const { store } = this.requireStore();
    if (tokens.claims === undefined) {
      throw new IdentityError(
        'LG_IDENTITY_IDP_ERROR',
        'the identity provider returned no ID token; is the openid scope configured?',
      );
    }
    if (tokens.tokenType.toLowerCase() !== 'dpop') {
      // A bearer token would work from any machine: refuse it rather than store it.
      throw new IdentityError(
        'LG_IDENTITY_IDP_ERROR',
        `the identity provider issued a ${tokens.tokenType} token, not a DPoP-bound one; enable DPoP for client ${this.options.oidc.clientId}`,
      );
    }
    const session: Session = {
      issuer: this.options.oidc.issuer,
      clientId: this.options.oidc.clientId,
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      tokenType: tokens.tokenType,
      claims: tokens.claims,
      jkt: key.thumbprint,
      ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
      ...(tokens.idToken === undefined ? {} : { idToken: tokens.idToken }),
      ...(tokens.scope === undefined ? {} : { scope: tokens.scope }),
    };
    // A refresh of the previous session still in flight must not save over this one.
    await this.refreshing?.catch(() => {});
    await saveSession(store, session);
    this.session = session;
    this.deviceKey = key;
    this.userHashKey = await this.loadUserHashKey(true);
    this.scheduleRefresh();
    // The log is operational: the device, not who (the audit log records the user).
    this.log(`signed in with device key ${key.thumbprint} at ${issuer}`);
    return session;
  }

  private async loadUserHashKey(create = false): Promise<Buffer | undefined> {
    if (this.options.identity.providerUserHash === undefined || this.store === undefined) return undefined;
    const existing = await this.store.get(USER_HASH_KEY);
    if (existing !== undefined) return Buffer.from(existing, 'base64url');
    if (!create) return undefined;
    const key = randomBytes(32);
    await this.store.set(USER_HASH_KEY, key.toString('base64url'));
    return key;
  }

  private scheduleRefresh(delayMs?: number): void {
    clearTimeout(this.timer);
    const s = this.session;
    if (s === undefined || s.refreshToken === undefined || this.closed) return;
    const due =
      delayMs ?? Math.max(0, s.expiresAt - this.options.oidc.refreshAheadSeconds * 1000 - Date.now());
    // setTimeout's limit is 2^31-1 ms; a longer wait is re-armed when it fires.
    this.timer = setTimeout(() => void this.refreshNow().catch(() => {}), Math.min(due, 2 ** 31 - 1));
    this.timer.unref();
  }

  /** Single-flight refresh with rotation: the new refresh token replaces the old one in the store. */
  refreshNow(): Promise<void> {
    this.refreshing ??= this.doRefresh().then(
      () => {
        this.refreshing = undefined;
        this.nextRefreshAttemptAt = 0;
      },
      (err: unknown) => {
        this.refreshing = undefined;
        this.nextRefreshAttemptAt = Date.now() + RETRY_MS;
        throw err;
      },
    );
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const s = this.session;
    const key = this.deviceKey;
    if (s === undefined || key === undefined || s.refreshToken === undefined) return;
    const { store } = this.requireStore();
    let tokens: TokenResult;
    try {
      tokens = await (await this.client()).refresh(key, s.refreshToken);
    } catch (err) {
      // Signed out or signed in anew meanwhile: this failure is about a session that is gone.
      if (this.session !== s) throw err;
      const code = LlmgateError.is(err) ? err.code : 'error';
      if (code === 'LG_IDENTITY_SESSION_ENDED') {
        this.log('the identity provider ended the session; sign in again');
        this.session = undefined;
        await deleteSession(store).catch((e: unknown) =>
          this.log(`cannot delete the ended session (${LlmgateError.is(e) ? e.code : 'error'})`),
        );
      } else {
        this.log(`token refresh failed (${code}); retrying in ${RETRY_MS / 1000} s`);
        this.scheduleRefresh(RETRY_MS);
      }
      throw err;
    }
    if (this.session !== s) return; // signed out or signed in anew meanwhile
    const next: Session = {
      ...s,
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      tokenType: tokens.tokenType,
      // Rotation: keep the old refresh token only if the IdP did not send a new one.
      ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
      ...(tokens.idToken === undefined ? {} : { idToken: tokens.idToken }),
      ...(tokens.claims === undefined
        ? {}
        : { claims: { ...tokens.claims, groups: tokens.claims.groups ?? s.claims.groups } }),
    };
    // In memory first: the new token is valid now, even if the keychain fails to take it.
    this.session = next;
    this.scheduleRefresh();
    try {
      await saveSession(store, next);
    } catch (err) {
      this.log(`cannot save the refreshed session (${LlmgateError.is(err) ? err.code : 'error'})`);
    }
  }

  /**
   * Authorization and a fresh proof (bound to method, URL and token) for one request to an org backend;
   * undefined when signed out or expired. Inside the refresh window the current token goes out while a
   * refresh runs in the background; only an expired token waits for it.
   */
  async credentialsFor(method: string, url: string): Promise<BackendCredentials | undefined> {
    await this.refreshIfDue();
    const s = this.session;
    const key = this.deviceKey;
    if (s === undefined || key === undefined || s.expiresAt <= Date.now()) return undefined;
    const origin = new URL(url).origin;
    const nonce = this.backendNonces.get(origin);
    return {
      authorization: `DPoP ${s.accessToken}`,
      dpop: await createProof(key, {
        method,
        url,
        accessToken: s.accessToken,
        ...(nonce === undefined ? {} : { nonce }),
      }),
    };
  }

  /** Remembers a backend's `DPoP-Nonce` for the next proof to that origin. */
  noteBackendNonce(origin: string, nonce: string): void {
    this.backendNonces.set(origin, nonce);
  }

  /** For provider hosts config names: a keyed hash of the user id, never the id itself. */
  userHashFor(host: string): { header: string; value: string } | undefined {
    const conf = this.options.identity.providerUserHash;
    const s = this.session;
    if (conf === undefined || s === undefined || this.userHashKey === undefined || !conf.hosts.includes(host))
      return undefined;
    const value = createHmac('sha256', this.userHashKey)
      .update(`${s.issuer}\n${s.claims.sub}`)
      .digest('base64url');
    return { header: conf.header, value };
  }

  /** Revokes the refresh token (RFC 7009), then deletes tokens, device key and hash key. */
  async logout(): Promise<LogoutResult> {
    const { store, keys } = this.requireStore();
    this.flow?.cancel();
    this.flow = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    // A refresh in flight would otherwise save a rotated session after it is deleted.
    await this.refreshing?.catch(() => {});
    clearTimeout(this.timer); // re-armed by that refresh
    const s = this.session ?? (await loadSession(store));
    const user = s === undefined ? null : userOf(s);
    // Gone from memory before revocation goes out, so no request refreshes the token being revoked.
    this.session = undefined;
    let revoked = false;
    let revokeError: IdentityError | undefined;
    if (s !== undefined) {
      try {
        const idp = await this.client();
        revoked = await idp.revoke(
          s.refreshToken ?? s.accessToken,
          s.refreshToken === undefined ? 'access_token' : 'refresh_token',
        );
      } catch (err) {
        // Local deletion goes ahead: the tokens are bound to a key that is about to be destroyed.
        revokeError = err instanceof IdentityError ? err : undefined;
        this.log(`revocation failed (${revokeError?.code ?? 'error'}); local tokens deleted anyway`);
      }
    }
    this.session = undefined;
    this.deviceKey = undefined;
    this.userHashKey = undefined;
    this.backendNonces.clear();
    await deleteSession(store);
    await keys.destroy();
    await store.delete(USER_HASH_KEY);
    this.log('signed out');
    return { signedOut: true, revoked, user };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.flow?.cancel();
    void this.idp?.then((client) => client.close()).catch(() => {});
  }
}
