/**
 * The daemon owns all state: config, CA, detectors, the proxy, the audit log and the counters. Faces
 * reach it only through the control API.
 */
import { mkdir, readFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openAuditWriter, type AuditWriter } from '../audit/index.js';
import { loadOrCreateCa, writeTrustBundle, type LocalCa } from '../ca/index.js';
import { loadConfig, statePaths, type Config, type StatePaths } from '../config/index.js';
import {
  ControlClient,
  RouteTable,
  startControlServer,
  type ControlServer,
  type Counters,
  type EnvReply,
  type PolicyShowReply,
  type StatusReply,
} from '../control/index.js';
import type { Detector } from '../detect/index.js';
import { ConfigError, DaemonError, LlmgateError } from '../errors.js';
import {
  PolicyStore,
  effectiveDetector,
  openLimitStore,
  type LimitStore,
  type PolicySnapshot,
} from '../policy-store/index.js';
import type { PolicyUser, RefusedSetting } from '../policy/index.js';
import {
  auditEventOf,
  auditStage,
  compose,
  createUpstream,
  policyStage,
  scanStage,
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
import { VERSION } from '../version.js';

export interface DaemonOptions {
  readonly home: string;
  /** Overrides `proxy.port` from config; 0 picks a free port. */
  readonly port?: number;
  /** Where operational messages go (never request content). */
  readonly log?: (line: string) => void;
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

/** The CA may sign for the built-in provider hosts, every host config routes, and `extraHosts` (policy MCP servers). */
export function permittedHosts(config: Config, extraHosts: readonly string[] = []): string[] {
  // A name constraint on `openai.azure.com` covers its subdomains, so suffixes lose their leading dot.
  const suffixes = PROVIDER_HOST_SUFFIXES.map((suffix) => suffix.replace(/^\./, ''));
  return [
    ...new Set([...PROVIDER_HOSTS, ...suffixes, ...Object.keys(config.upstreams), ...extraHosts]),
  ].sort();
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

  // The org policy (or local policy file) in force. A config mistake (unreadable keys or file) stops the
  // start; a policy that cannot be fetched or verified does not: the last good one is used, else the
  // failure mode applies.
  const policyStore = new PolicyStore({
    config,
    configDir: paths.home,
    cacheDir: path.join(paths.home, 'policy'),
    fetchTimeoutMs: 10_000,
  });
  await policyStore.load();
  // Without a usable cached policy, wait for the first fetch (else every request would be refused until
  // the next refresh); with one, start at once and refresh in the background.
  const fetchInBackground = policyStore.snapshot().policy !== undefined;
  if (!fetchInBackground) {
    const initialPull = await policyStore.refresh();
    if (initialPull.error !== undefined)
      log(`policy: ${initialPull.error.code}: ${initialPull.error.message}`);
  }
  // MCP servers the policy in force at start lists are intercepted like routed hosts (the CA must be
  // allowed to sign for them, so a change takes effect at the next start).
  const mcpHosts = policyStore.snapshot().policy?.document.mcp?.hosts ?? [];

  const ca = await loadOrCreateCa({
    certPath: paths.caCert,
    keyPath: paths.caKey,
    permittedHosts: permittedHosts(config, mcpHosts),
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
  const routedHosts = new Set([...routes.keys(), ...mcpHosts]);

  // Scanning reads the detector through this indirection so that a new policy can replace it between
  // requests; a request already being scanned keeps the one it started with.
  let policyProblem: { code: string; message: string } | undefined;
  let built: Awaited<ReturnType<typeof effectiveDetector>>;
  try {
    built = await effectiveDetector(config, paths.home, policyStore.snapshot());
  } catch (err) {
    // A policy whose detect section cannot be used fails closed (the policy stage refuses); the detector
    // is built from config alone, still under the org's no-loosening rule. A bad config still stops here.
    if (!(LlmgateError.is(err) && policyStore.snapshot().source !== 'embedded')) throw err;
    policyProblem = {
      code: err.code,
      message: `the policy's detect settings cannot be used: ${err.message}`,
    };
    log(`policy: ${policyProblem.message}`);
    built = await effectiveDetector(config, paths.home, {
      policy: undefined,
      source: policyStore.snapshot().source,
    });
  }
  let refusedSettings: readonly RefusedSetting[] = built.refused;
  for (const r of refusedSettings) log(`policy: local setting ${r.key} refused: ${r.reason}`);
  const detector: Detector = { scan: (text) => built.detector.scan(text) };
  /** Rebuilds the detector after the policy changed; a policy whose detect section fails fails closed. */
  const applyPolicy = async (): Promise<void> => {
    try {
      built = await effectiveDetector(config, paths.home, policyStore.snapshot());
      refusedSettings = built.refused;
      policyProblem = undefined;
      for (const r of refusedSettings) log(`policy: local setting ${r.key} refused: ${r.reason}`);
    } catch (err) {
      policyProblem = {
        code: LlmgateError.is(err) ? err.code : 'LG_POLICY_INVALID',
        message: `the policy's detect settings cannot be used: ${(err as Error).message}`,
      };
      log(`policy: ${policyProblem.message}`);
    }
  };
  const limits: LimitStore = openLimitStore(path.join(paths.home, 'limits.db'));
  const counters: Omit<Counters, 'tunnels'> = { requests: 0, redactions: 0, blocks: 0, errors: 0 };
  const audit: AuditWriter = await openAuditWriter(paths.auditDb, (err) => log(`audit: ${err.message}`));
  let auditEvents = 0;
  const upstream: Upstream = createUpstream({ routes, extraCaPem });
  const identity = { user: `local:${os.userInfo().username}`, device: os.hostname() };
  /**
   * The user policy evaluates. Issue 5 plugs in here: when signed in, `id` is the ID token's subject and
   * `groups` its group claims; until then the policy's default group (or config's) applies.
   */
  const policyUser = (snapshot: PolicySnapshot): PolicyUser => {
    const fallback = config.policy?.defaultGroup;
    const usesFallback = snapshot.policy?.document.defaultGroup === undefined && fallback !== undefined;
    return { id: identity.user, ...(usesFallback ? { groups: [fallback] } : {}) };
  };
  const groupsOf = (snapshot: PolicySnapshot): string[] => {
    const user = policyUser(snapshot);
    return user.groups !== undefined && user.groups.length > 0
      ? [...user.groups]
      : [snapshot.policy?.document.defaultGroup ?? 'default'];
  };
  const policyStatus = (): StatusReply['policy'] => {
    const snapshot = policyStore.snapshot();
    const document = snapshot.policy?.document;
    const error = policyProblem ?? snapshot.lastError;
    return {
      id: document?.id ?? 'none',
      version: document?.version ?? 0,
      source: snapshot.source,
      state: document === undefined || policyProblem !== undefined ? 'unavailable' : 'ok',
      signature: snapshot.signature,
      failureMode: snapshot.failureMode,
      expiresAt: document?.expiresAt ?? null,
      fetchedAt: snapshot.fetchedAt ?? null,
      groups: groupsOf(snapshot),
      limits: limits.usage(Date.now(), identity.user),
      error: error === undefined ? null : { code: error.code, message: error.message },
    };
  };
  const policyShow = (): PolicyShowReply => {
    const snapshot = policyStore.snapshot();
    return {
      ...policyStatus(),
      url: snapshot.url ?? null,
      kid: snapshot.kid ?? null,
      refusedLocalSettings: refusedSettings.map((r) => ({ key: r.key, reason: r.reason })),
      document:
        snapshot.source === 'embedded' || snapshot.policy === undefined
          ? null
          : (JSON.parse(JSON.stringify(snapshot.policy.document)) as Record<string, unknown>),
    };
  };
  let pulling: Promise<{ changed: boolean; error: { code: string; message: string } | null }> | undefined;
  /** Fetches the org policy now; concurrent pulls (timer and CLI) share one fetch. */
  const pull = (): Promise<{ changed: boolean; error: { code: string; message: string } | null }> => {
    pulling ??= (async () => {
      try {
        const result = await policyStore.refresh();
        if (result.error !== undefined) log(`policy: ${result.error.code}: ${result.error.message}`);
        if (result.changed) {
          const document = policyStore.snapshot().policy?.document;
          log(`policy: now ${document?.id ?? '?'} version ${document?.version ?? '?'}`);
          const hosts = document?.mcp?.hosts ?? [];
          if (hosts.some((h) => !routedHosts.has(h)))
            log('policy: new MCP hosts take effect when llmgate restarts');
          await applyPolicy();
        }
        return {
          changed: result.changed,
          error:
            result.error === undefined ? null : { code: result.error.code, message: result.error.message },
        };
      } finally {
        pulling = undefined;
      }
    })();
    return pulling;
  };
  const refreshTimer =
    config.policy?.url === undefined
      ? undefined
      : setInterval(() => void pull(), config.policy.refreshSeconds * 1000).unref();

  const observer: ExchangeObserver = {
    record(event) {
      counters.requests++;
      if (event.decision === 'block') counters.blocks++;
      if (event.error === 'LG_PROXY_UPSTREAM_FAILED') counters.errors++;
      for (const n of Object.values(event.redactions)) counters.redactions += n;
      audit.append(event);
      auditEvents++;
    },
  };
  const dispatch = compose(
    [
      auditStage(identity, observer),
      scanStage({ detector, maxBodyBytes: config.proxy.maxBodyBytes }),
      policyStage({
        view: () => {
          const snapshot = policyStore.snapshot();
          if (policyProblem !== undefined) {
            return { policy: undefined, failureMode: snapshot.failureMode, problem: policyProblem.code };
          }
          return {
            policy: snapshot.policy,
            failureMode: snapshot.failureMode,
            ...(snapshot.lastError === undefined ? {} : { problem: snapshot.lastError.code }),
          };
        },
        user: () => policyUser(policyStore.snapshot()),
        limits,
        now: () => Date.now(),
        maxBodyBytes: config.proxy.maxBodyBytes,
      }),
      tapStage(),
    ],
    upstream.dispatch,
  );

  const intercepts = (host: string, port: number): boolean =>
    routedHosts.has(host) || isProviderHost(host, port);
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
    await audit.close();
    await upstream.close();
    limits.close();
    if (refreshTimer !== undefined) clearInterval(refreshTimer);
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
    identity: null,
    policy: policyStatus(),
    counters: { ...counters, tunnels: proxy.counters.tunnels },
    audit: { path: paths.auditDb, events: auditEvents, backlog: 0 },
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

  const table = new RouteTable()
    .register('GET', '/v1/status', { permission: 'read', handle: status })
    .register('GET', '/v1/env', { permission: 'read', handle: env })
    .register('GET', '/v1/policy', { permission: 'read', handle: policyShow })
    .register('POST', '/v1/policy/pull', {
      permission: 'write',
      handle: async () => ({ ...(await pull()), policy: policyShow() }),
    })
    .register('POST', '/v1/stop', {
      permission: 'write',
      handle: () => {
        setImmediate(() => void stop());
        return { stopping: true as const };
      },
    });
  const closeData = async (): Promise<void> => {
    if (refreshTimer !== undefined) clearInterval(refreshTimer);
    await proxy.close();
    await upstream.close();
    await audit.close();
    limits.close();
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
      log('stopped');
      resolveStopped();
    })();
    return stopping;
  }
  log(`listening: proxy ${proxy.url}, control ${paths.controlSocket}`);
  if (fetchInBackground && config.policy?.url !== undefined) void pull();

  return { paths, proxyUrl: proxy.url, port: proxy.port, status, env, stopped, stop };
}
