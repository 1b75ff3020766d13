/**
 * The daemon owns all state: config, CA, detectors, the proxy, the audit log and the counters. Faces
 * reach it only through the control API.
 */
import { mkdir, readFile, chmod } from 'node:fs/promises';
import os from 'node:os';
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
  type StatusReply,
} from '../control/index.js';
import { ConfigError, DaemonError, LlmgateError } from '../errors.js';
import {
  auditEventOf,
  auditStage,
  compose,
  createUpstream,
  mcpResultStage,
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
import { startPolicyRuntime } from './policy-runtime.js';

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
  const identity = { user: `local:${os.userInfo().username}`, device: os.hostname() };
  // Before the CA: MCP servers the policy lists must be hosts the CA may sign for.
  const policy = await startPolicyRuntime({ config, home: paths.home, userId: identity.user, log });

  const ca = await loadOrCreateCa({
    certPath: paths.caCert,
    keyPath: paths.caKey,
    permittedHosts: permittedHosts(config, policy.mcpHosts),
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
  const counters: Omit<Counters, 'tunnels'> = { requests: 0, redactions: 0, blocks: 0, errors: 0 };
  const audit: AuditWriter = await openAuditWriter(paths.auditDb, (err) => log(`audit: ${err.message}`));
  let auditEvents = 0;
  const upstream: Upstream = createUpstream({ routes, extraCaPem });

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
      scanStage({ detector: policy.detector, maxBodyBytes: config.proxy.maxBodyBytes }),
      policyStage({ ...policy.stageOptions, maxBodyBytes: config.proxy.maxBodyBytes }),
      mcpResultStage({ detector: policy.detector, maxBytes: config.proxy.maxBodyBytes }),
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
    identity: null,
    policy: policy.status(),
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
      log('stopped');
      resolveStopped();
    })();
    return stopping;
  }
  log(`listening: proxy ${proxy.url}, control ${paths.controlSocket}`);
  policy.start();

  return { paths, proxyUrl: proxy.url, port: proxy.port, status, env, stopped, stop };
}
