/**
 * The daemon owns all state: config, CA, detectors, the proxy, the audit log and the counters. Faces
 * reach it only through the control API.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import { z } from 'zod';
import {
  loadOrCreateFileSigner,
  startAuditLog,
  type AuditEventInput,
  type AuditLog,
  type CheckpointSigner,
} from '../audit/index.js';
import { loadOrCreateCa, writeTrustBundle, type LocalCa } from '../ca/index.js';
import { loadConfig, statePaths, type Config, type StatePaths } from '../config/index.js';
import {
  ControlClient,
  RouteTable,
  startControlServer,
  type ControlServer,
  type Counters,
  type EnvReply,
  type EventsReply,
  type StatusReply,
  loginStartRequestSchema,
  loginWaitRequestSchema,
} from '../control/index.js';
import { IdentityService } from '../identity/index.js';
import { ConfigError, ControlError, DaemonError, IdentityError, LlmgateError } from '../errors.js';
import {
  auditEventOf,
  auditStage,
  auditUnavailable,
  compose,
  createUpstream,
  orgIdentityStage,
  restoreStage,
  mcpResultStage,
  policyStage,
  scanStage,
  signInGate,
  tapStage,
  type ExchangeObserver,
  type Upstream,
} from '../pipeline/index.js';
import {
  BASE_URL_PREFIXES,
  PROVIDER_HOSTS,
  PROVIDER_HOST_SUFFIXES,
  isProviderHost,
  matchProvider,
} from '../providers/index.js';
import { PROXY_USER, startProxy, type ProxyServer } from '../proxy/index.js';
import { createVault } from '../pseudonym/index.js';
import { VERSION } from '../version.js';
import { startPolicyRuntime } from './policy-runtime.js';

/** How many recent audit events the daemon keeps in memory for `GET /v1/events`. */
const RECENT_EVENTS = 50;

export interface DaemonOptions {
  readonly home: string;
  /** Overrides `proxy.port` from config; 0 picks a free port. */
  readonly port?: number;
  /** Where operational messages go (never request content). */
  readonly log?: (line: string) => void;
  /**
   * Signs the audit checkpoints. Default: the interim per-device key file (`paths.auditKey`, see
   * core/audit/signer.ts) until the keychain-backed device key replaces it.
   */
  readonly checkpointSigner?: CheckpointSigner;
}

export interface Daemon {
  readonly paths: StatePaths;
  readonly proxyUrl: string;
  readonly port: number;
  status(): StatusReply;
  env(): EnvReply;
  /** Resolves when the daemon has stopped (by `stop()` or the control API). */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The CA may sign for the built-in provider hosts, every host config routes, the org's backends and
 * `extraHosts` (the MCP servers the policy lists).
 */
export function permittedHosts(config: Config, extraHosts: readonly string[] = []): string[] {
  // A name constraint on `openai.azure.com` covers its subdomains, so suffixes lose their leading dot.
  const suffixes = PROVIDER_HOST_SUFFIXES.map((suffix) => suffix.replace(/^\./, ''));
  return [
    ...new Set([
      ...PROVIDER_HOSTS,
      ...suffixes,
      ...Object.keys(config.upstreams),
      ...config.identity.audiences,
      ...extraHosts,
    ]),
  ].sort();
}

/** Zod at the control API's edge: a malformed request is the caller's error, coded as such. */
function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ControlError('LG_CONTROL_BAD_REQUEST', `bad request: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** The proxy password, derived from the CA key so no second secret is written to disk. */
function proxyCredential(ca: LocalCa): string {
  return ca.credentialKey().subarray(0, 24).toString('base64url');
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const log = options.log ?? (() => {});
  const paths = statePaths(options.home);
  // One daemon per home: a second one would take over the control socket and strand the first.
  const running = await new ControlClient(paths.controlSocket, 2_000).status().catch((err: unknown) => {
    if (LlmgateError.is(err) && err.code === 'LG_CONTROL_DAEMON_DOWN') return undefined;
    throw err;
  });
  if (running !== undefined) {
    throw new DaemonError(
      'LG_DAEMON_ALREADY_RUNNING',
      `llmgate is already running (pid ${running.pid}): proxy ${running.proxy.url}`,
    );
  }
  await mkdir(paths.home, { recursive: true, mode: 0o700 });
  await chmod(paths.home, 0o700);
  const config = await loadConfig(paths.config);
  // Signed out (or no oidc section): the local account and host name, as before sign-in existed. The service
  // opens below (it needs the upstream CA file); policy and audit read it per request through `identity`.
  let identityService: IdentityService | undefined = undefined;
  const localUser = `local:${os.userInfo().username}`;
  const hostName = os.hostname();
  // Read per event, so audit events carry whoever is signed in at the time and the device key thumbprint.
  const identity = {
    get user(): string {
      return identityService?.user ?? localUser;
    },
    get device(): string {
      return identityService?.deviceThumbprint ?? hostName;
    },
  };
  // Before the CA: MCP servers the policy lists must be hosts the CA may sign for.
  const policy = await startPolicyRuntime({
    config,
    home: paths.home,
    user: () => ({ id: identity.user, groups: identityService?.groups ?? [] }),
    log,
  });

  // The org's backends: config's plus the ones the policy names (at start: the CA must be allowed to sign for them).
  const withAudiences: Config = {
    ...config,
    identity: {
      ...config.identity,
      audiences: [...new Set([...config.identity.audiences, ...policy.audiences])],
    },
  };

  const ca = await loadOrCreateCa({
    certPath: paths.caCert,
    keyPath: paths.caKey,
    permittedHosts: permittedHosts(withAudiences, policy.mcpHosts),
  });
  if (ca.rotation !== undefined) log(`replaced the llmgate CA: ${ca.rotation.message}`);
  else if (ca.created) log(`created the llmgate CA at ${ca.certPath}`);
  await writeTrustBundle({ caCertPem: ca.certPem, bundlePath: paths.trustBundle });

  let extraCaPem: string | undefined;
  if (config.upstreamCaFile !== undefined) {
    try {
      extraCaPem = await readFile(config.upstreamCaFile, 'utf8');
    } catch (err) {
      throw new ConfigError(
        'LG_CONFIG_INVALID',
        `upstreamCaFile ${config.upstreamCaFile} cannot be read: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
  const routes = new Map(
    Object.entries(config.upstreams).map(([host, url]) => [host, url.replace(/\/$/, '')]),
  );
  const routedHosts = new Set([...routes.keys(), ...policy.mcpHosts]);

  // The pseudonym key lives only in this process: stand-ins mean nothing to anyone without it, and a
  // restart starts a fresh mapping (clients resend originals, so conversations stay consistent).
  const pseudonymConfig = policy.pseudonyms;
  const pseudonyms = createVault({
    key: randomBytes(32),
    idleTtlMs: pseudonymConfig.idleMinutes * 60_000,
    maxEntries: pseudonymConfig.maxEntries,
  });
  const counters: Omit<Counters, 'tunnels'> = { requests: 0, redactions: 0, blocks: 0, errors: 0 };
  /** The last events of this run, for the tray and `status --watch` (they hold no content, like the log). */
  const recentEvents: AuditEventInput[] = [];
  identityService =
    config.oidc === undefined
      ? undefined
      : await IdentityService.open({
          home: paths.home,
          oidc: config.oidc,
          identity: withAudiences.identity,
          extraCaPem,
          log,
        });
  const sink = config.audit.sink;
  const audit: AuditLog = await startAuditLog({
    file: paths.auditDb,
    device: identity.device,
    serviceVersion: VERSION,
    signer: options.checkpointSigner ?? (await loadOrCreateFileSigner(paths.auditKey)),
    checkpoint: config.audit.checkpoint,
    retentionDays: config.audit.retentionDays,
    fsyncEachCommit: config.audit.fsyncEachCommit,
    sink:
      sink === undefined
        ? undefined
        : {
            url: sink.url,
            headers: sink.headers,
            intervalMs: sink.intervalSeconds * 1000,
            batchSize: sink.batchSize,
            timeoutMs: sink.timeoutSeconds * 1000,
            minBackoffMs: sink.minBackoffSeconds * 1000,
            maxBackoffMs: sink.maxBackoffSeconds * 1000,
            maxBacklog: sink.maxBacklog,
            extraCaPem,
          },
    log,
  });
  const upstream: Upstream = createUpstream({
    routes,
    extraCaPem,
    headersTimeoutMs: config.proxy.upstreamHeadersTimeoutSeconds * 1000,
    bodyTimeoutMs: config.proxy.upstreamIdleTimeoutSeconds * 1000,
  });

  const capture = config.audit.content;
  // The org policy decides content capture when it says anything (off, or redacted text only); else config.
  const capturing = (): boolean => {
    const decided = policy.auditContent();
    return decided === undefined ? capture.capture : decided === 'redacted';
  };
  const observer: ExchangeObserver = {
    record(recorded, exchange) {
      // Only text the scan let through, redactions applied: never a refused body or an unscanned one.
      const event =
        capturing() && exchange.scannedText !== undefined && recorded.decision !== 'block'
          ? { ...recorded, content: exchange.scannedText.subarray(0, capture.maxBytes).toString('utf8') }
          : recorded;
      counters.requests++;
      if (event.decision === 'block') counters.blocks++;
      if (event.error === 'LG_PROXY_UPSTREAM_FAILED' || event.error === 'LG_PROXY_UPSTREAM_TIMEOUT')
        counters.errors++;
      for (const n of Object.values(event.redactions)) counters.redactions += n;
      recentEvents.push(recorded); // without captured content: status views list what happened, not what was said
      if (recentEvents.length > RECENT_EVENTS) recentEvents.shift();
      return audit.append(event);
    },
    unavailable() {
      const health = audit.health();
      return health.writable ? undefined : auditUnavailable(health.reason);
    },
  };
  const dispatch = compose(
    [
      auditStage(identity, observer),
      ...(identityService === undefined ? [] : [signInGate(identityService)]),
      scanStage({ detector: policy.detector, maxBodyBytes: config.proxy.maxBodyBytes, pseudonyms }),
      policyStage({ ...policy.stageOptions, maxBodyBytes: config.proxy.maxBodyBytes }),
      mcpResultStage({ detector: policy.detector, maxBytes: config.proxy.maxBodyBytes }),
      restoreStage({ vault: pseudonyms, restoreToolArguments: pseudonymConfig.restoreToolArguments }),
      tapStage(),
      ...(identityService === undefined ? [] : [orgIdentityStage(identityService, { routes })]),
    ],
    upstream.dispatch,
  );

  const audiences = new Set(withAudiences.identity.audiences);
  const intercepts = (host: string, port: number): boolean =>
    routedHosts.has(host) || audiences.has(host) || isProviderHost(host, port);
  const proxy: ProxyServer = await startProxy({
    port: options.port ?? config.proxy.port,
    credential: proxyCredential(ca),
    ca,
    intercepts,
    match: (host, port, url) =>
      intercepts(host, port)
        ? matchProvider(`${host.includes(':') ? `[${host}]` : host}:${port}`, url, routedHosts)
        : undefined,
    dispatch,
    abandoned: (exchange) => observer.record(auditEventOf(exchange, identity), exchange),
    maxBodyBytes: config.proxy.maxBodyBytes,
    onError: (err, where) => log(`proxy ${where}: ${(err as NodeJS.ErrnoException).code ?? err.name}`),
  }).catch(async (err: unknown) => {
    // The audit thread would keep the process alive: end it before reporting the failure.
    identityService?.close();
    await audit.close();
    await upstream.close();
    policy.close();
    throw err;
  });

  const startedAt = new Date();
  const status = (): StatusReply => ({
    running: true,
    version: VERSION,
    pid: process.pid,
    startedAt: startedAt.toISOString(),
    uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    home: paths.home,
    proxy: { url: proxy.url, port: proxy.port },
    ca: {
      certPath: ca.certPath,
      trustBundlePath: paths.trustBundle,
      fingerprintSha256: ca.fingerprintSha256,
    },
    identity: identityService?.status() ?? null,
    policy: policy.status(),
    counters: { ...counters, tunnels: proxy.counters.tunnels },
    audit: { path: paths.auditDb, ...audit.status() },
  });
  const env = (): EnvReply => {
    const credential = proxyCredential(ca);
    const baseUrls: Record<string, string> = {};
    // OpenAI's SDKs expect the `/v1` in their base URL; the others append their own version path.
    for (const prefix of BASE_URL_PREFIXES.keys()) {
      baseUrls[prefix] = `${proxy.url}/t/${credential}/${prefix}${prefix === 'openai' ? '/v1' : ''}`;
    }
    return {
      proxyUrl: proxy.url,
      proxyUrlWithCredentials: `http://${PROXY_USER}:${credential}@127.0.0.1:${proxy.port}`,
      caCertPath: ca.certPath,
      trustBundlePath: paths.trustBundle,
      noProxy: ['localhost', '127.0.0.1', '::1'],
      baseUrls,
    };
  };

  const signIn = (): IdentityService => {
    if (identityService === undefined) {
      throw new IdentityError(
        'LG_IDENTITY_NOT_CONFIGURED',
        'sign-in is not configured: add an "oidc" section (issuer, clientId) to config.json',
      );
    }
    return identityService;
  };
  const table = new RouteTable()
    .register('GET', '/v1/status', { permission: 'read', handle: status })
    .register('GET', '/v1/env', { permission: 'read', handle: env })
    .register('GET', '/v1/events', {
      permission: 'read',
      handle: (): EventsReply => ({ events: [...recentEvents] }),
    })
    .register('POST', '/v1/login/start', {
      permission: 'write',
      handle: (body) => signIn().startLogin(parseRequest(loginStartRequestSchema, body).method),
    })
    .register('POST', '/v1/login/wait', {
      permission: 'write',
      handle: (body) => signIn().waitLogin(parseRequest(loginWaitRequestSchema, body).flowId, 20_000),
    })
    .register('POST', '/v1/logout', { permission: 'write', handle: () => signIn().logout() })
    .register('POST', '/v1/audit/sync', { permission: 'write', handle: () => audit.syncNow() })
    .register('GET', '/v1/policy', { permission: 'read', handle: () => policy.show() })
    .register('POST', '/v1/policy/pull', {
      permission: 'write',
      handle: async () => ({ ...(await policy.pull()), policy: policy.show() }),
    })
    .register('POST', '/v1/stop', {
      permission: 'write',
      handle: () => {
        setImmediate(() => void stop());
        return { stopping: true as const };
      },
    });
  const closeData = async (): Promise<void> => {
    identityService?.close();
    await proxy.close();
    await upstream.close();
    await audit.close();
    policy.close();
  };
  let control: ControlServer;
  try {
    control = await startControlServer(paths.controlSocket, table);
  } catch (err) {
    await closeData();
    throw err;
  }

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      await control.close();
      await closeData();
      pseudonyms.clear();
      log('stopped');
      resolveStopped();
    })();
    return stopping;
  }
  log(`listening: proxy ${proxy.url}, control ${paths.controlSocket}`);
  policy.start();

  return { paths, proxyUrl: proxy.url, port: proxy.port, status, env, stopped, stop };
}
