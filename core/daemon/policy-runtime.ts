/**
 * The daemon's policy state in one place: the policy store (org policy fetched, verified and cached, or a
 * local policy file), the detector built from config and policy, the limit counters, the refresh timer,
 * and the control-API views of it all. The daemon composes it; the pipeline sees only `stageOptions`.
 */
import path from 'node:path';
import type { Config } from '../config/index.js';
import type { PolicyShowReply, StatusReply } from '../control/index.js';
import type { Detector } from '../detect/index.js';
import { LlmgateError } from '../errors.js';
import type { PolicyStageOptions } from '../pipeline/index.js';
import {
  PolicyStore,
  effectiveDetector,
  openLimitStore,
  type EffectiveDetector,
  type LimitStore,
  type PolicySnapshot,
} from '../policy-store/index.js';
import type { PolicyUser } from '../policy/index.js';

export interface PolicyRuntimeOptions {
  readonly config: Config;
  readonly home: string;
  /**
   * Who requests are evaluated for, read per request: the signed-in user's id and group claims (issue 5),
   * else the local account with no groups (the policy's default group applies).
   */
  readonly user: () => { readonly id: string; readonly groups: readonly string[] };
  readonly log: (line: string) => void;
}

export interface PullResult {
  readonly changed: boolean;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface PolicyRuntime {
  /** MCP servers the policy in force at start lists: intercepted like routed hosts. */
  readonly mcpHosts: readonly string[];
  /**
   * The pseudonym settings of the policy in force at start merged with config's (the vault and the restore
   * stage are built once; a policy update changes them at the next start).
   */
  readonly pseudonyms: Config['detect']['pseudonyms'];
  /** The org's backends the policy in force at start names (`identity.audiences`): added to config's. */
  readonly audiences: readonly string[];
  /** The policy's audit content capture (`off` or `redacted`), read per event; undefined when it is silent. */
  auditContent(): 'off' | 'redacted' | undefined;
  /** Reads the current detector, so a new policy replaces it between requests. */
  readonly detector: Detector;
  readonly stageOptions: Omit<PolicyStageOptions, 'maxBodyBytes'>;
  status(): StatusReply['policy'];
  show(): PolicyShowReply;
  /** Fetches the org policy now; concurrent pulls (timer and CLI) share one fetch. */
  pull(): Promise<PullResult>;
  /**
   * Opens the limit counters and starts the refresh timer (and a background fetch when the start used the
   * cached policy). Called once the proxy listens.
   */
  start(): void;
  close(): void;
}

type Problem = { code: string; message: string };

export async function startPolicyRuntime(options: PolicyRuntimeOptions): Promise<PolicyRuntime> {
  const { config, home, log } = options;
  const store = new PolicyStore({
    config,
    configDir: home,
    cacheDir: path.join(home, 'policy'),
    fetchTimeoutMs: 10_000,
  });
  // A config mistake (unreadable keys or policy file) stops the start; a policy that cannot be fetched
  // or verified does not: the last good one is used, else the failure mode applies.
  await store.load();
  // Without a usable cached policy, wait for the first fetch (else every request would be refused until
  // the next refresh); with one, start at once and refresh in the background.
  const fetchInBackground = store.snapshot().policy !== undefined;
  if (!fetchInBackground) {
    const first = await store.refresh();
    if (first.error !== undefined) log(`policy: ${first.error.code}: ${first.error.message}`);
  }
  const mcpHosts = store.snapshot().policy?.document.mcp?.hosts ?? [];
  const audiences = store.snapshot().policy?.document.identity?.audiences ?? [];

  let problem: Problem | undefined;
  const logRefused = (built: EffectiveDetector): void => {
    for (const r of built.refused) log(`policy: local setting ${r.key} refused: ${r.reason}`);
  };
  const unusable = (err: unknown): Problem => ({
    code: LlmgateError.is(err) ? err.code : 'LG_POLICY_INVALID',
    message: `the policy's detect settings cannot be used: ${(err as Error).message}`,
  });
  let built: EffectiveDetector;
  try {
    built = await effectiveDetector(config, home, store.snapshot());
  } catch (err) {
    // A policy whose detect section cannot be used fails closed (the policy stage refuses); the detector
    // is built from config alone, still under the org's no-loosening rule. A bad config still stops here.
    if (!(LlmgateError.is(err) && store.snapshot().source !== 'embedded')) throw err;
    problem = unusable(err);
    log(`policy: ${problem.message}`);
    built = await effectiveDetector(config, home, { policy: undefined, source: store.snapshot().source });
  }
  logRefused(built);
  const applyPolicy = async (): Promise<void> => {
    try {
      built = await effectiveDetector(config, home, store.snapshot());
      problem = undefined;
      logRefused(built);
    } catch (err) {
      problem = unusable(err);
      log(`policy: ${problem.message}`);
    }
  };

  // Opened when the daemon is up (`start`), so a start that fails later (CA, ports) leaves no handle open.
  let limitStore: LimitStore | undefined;
  const openLimits = (): LimitStore => (limitStore ??= openLimitStore(path.join(home, 'limits.db')));
  const limits: LimitStore = {
    check: (l, now) => openLimits().check(l, now),
    admit: (l, now) => openLimits().admit(l, now),
    addTokens: (l, tokens, now) => openLimits().addTokens(l, tokens, now),
    usage: (now, user) => openLimits().usage(now, user),
    close: () => limitStore?.close(),
  };

  /**
   * The user policy evaluates: when signed in, the ID token's group claims; otherwise (or without groups)
   * the policy's default group, or config's.
   */
  const policyUser = (snapshot: PolicySnapshot): PolicyUser => {
    const fallback = config.policy?.defaultGroup;
    const usesFallback = snapshot.policy?.document.defaultGroup === undefined && fallback !== undefined;
    const signedIn = options.user();
    if (signedIn.groups.length > 0) return { id: signedIn.id, groups: [...signedIn.groups] };
    return { id: signedIn.id, ...(usesFallback ? { groups: [fallback] } : {}) };
  };
  const groupsOf = (snapshot: PolicySnapshot): string[] => {
    const user = policyUser(snapshot);
    return user.groups !== undefined && user.groups.length > 0
      ? [...user.groups]
      : [snapshot.policy?.document.defaultGroup ?? 'default'];
  };

  const status = (): StatusReply['policy'] => {
    const snapshot = store.snapshot();
    const document = snapshot.policy?.document;
    const error = problem ?? snapshot.lastError;
    return {
      id: document?.id ?? 'none',
      version: document?.version ?? 0,
      source: snapshot.source,
      state: document === undefined || problem !== undefined ? 'unavailable' : 'ok',
      signature: snapshot.signature,
      failureMode: snapshot.failureMode,
      expiresAt: document?.expiresAt ?? null,
      fetchedAt: snapshot.fetchedAt ?? null,
      groups: groupsOf(snapshot),
      limits: limits.usage(Date.now(), options.user().id),
      error: error === undefined ? null : { code: error.code, message: error.message },
    };
  };
  const show = (): PolicyShowReply => {
    const snapshot = store.snapshot();
    return {
      ...status(),
      url: snapshot.url ?? null,
      kid: snapshot.kid ?? null,
      refusedLocalSettings: built.refused.map((r) => ({ key: r.key, reason: r.reason })),
      document:
        snapshot.source === 'embedded' || snapshot.policy === undefined
          ? null
          : (JSON.parse(JSON.stringify(snapshot.policy.document)) as Record<string, unknown>),
    };
  };

  let pulling: Promise<PullResult> | undefined;
  const pull = (): Promise<PullResult> => {
    pulling ??= (async () => {
      try {
        const result = await store.refresh();
        if (result.error !== undefined) log(`policy: ${result.error.code}: ${result.error.message}`);
        if (result.changed) {
          const document = store.snapshot().policy?.document;
          log(`policy: now ${document?.id ?? '?'} version ${document?.version ?? '?'}`);
          if ((document?.mcp?.hosts ?? []).some((h) => !mcpHosts.includes(h)))
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

  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  return {
    mcpHosts,
    audiences,
    pseudonyms: built.pseudonyms,
    auditContent: () => store.snapshot().policy?.document.audit?.content,
    detector: { scan: (text) => built.detector.scan(text) },
    stageOptions: {
      view: () => {
        const snapshot = store.snapshot();
        if (problem !== undefined) {
          return { policy: undefined, failureMode: snapshot.failureMode, problem: problem.code };
        }
        return {
          policy: snapshot.policy,
          failureMode: snapshot.failureMode,
          ...(snapshot.lastError === undefined ? {} : { problem: snapshot.lastError.code }),
        };
      },
      user: () => policyUser(store.snapshot()),
      limits,
      now: () => Date.now(),
    },
    status,
    show,
    pull,
    start() {
      if (closed) return;
      openLimits();
      if (config.policy?.url === undefined) return;
      timer = setInterval(() => void pull(), (config.policy?.refreshSeconds ?? 3600) * 1000).unref();
      if (fetchInBackground) void pull();
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      limits.close();
    },
  };
}
