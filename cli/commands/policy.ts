/**
 * `llmgate policy show|pull|explain`. `show` and `explain` ask the daemon for the policy in force and,
 * when it is not running, read the same sources it would (local policy file, cached org policy) without
 * touching the network; `pull` needs the daemon, which owns the cache.
 */
import { readFile } from 'node:fs/promises';
import { ControlClient, type PolicyShowReply } from '../../core/control/index.js';
import { loadConfig, type Config } from '../../core/config/index.js';
import { LlmgateError, PolicyError } from '../../core/errors.js';
import {
  PolicyStore,
  effectiveDetector,
  explainRequest,
  parseExplainRequest,
  type Explanation,
  type PolicySnapshot,
} from '../../core/policy-store/index.js';
import {
  EMBEDDED_POLICY,
  compilePolicy,
  parsePolicyDocument,
  type CompiledPolicy,
} from '../../core/policy/index.js';
import { CliExit, EXIT_ERROR, EXIT_FOUND, client, paths, printJson } from '../context.js';
import path from 'node:path';

async function offlineStore(config: Config): Promise<PolicyStore> {
  const home = paths().home;
  const store = new PolicyStore({ config, configDir: home, cacheDir: path.join(home, 'policy') });
  await store.load();
  return store;
}

/** The same reply the daemon gives, built from disk (no limits: the daemon owns the counters). */
async function offlineShow(config: Config): Promise<PolicyShowReply> {
  const store = await offlineStore(config);
  const snapshot = store.snapshot();
  const document = snapshot.policy?.document;
  const { refused } = await effectiveDetector(config, paths().home, snapshot).catch(() => ({ refused: [] }));
  return {
    id: document?.id ?? 'none',
    version: document?.version ?? 0,
    source: snapshot.source,
    state: document === undefined ? 'unavailable' : 'ok',
    signature: snapshot.signature,
    failureMode: snapshot.failureMode,
    expiresAt: document?.expiresAt ?? null,
    fetchedAt: snapshot.fetchedAt ?? null,
    groups: [document?.defaultGroup ?? config.policy?.defaultGroup ?? 'default'],
    limits: [],
    error:
      snapshot.lastError === undefined
        ? null
        : { code: snapshot.lastError.code, message: snapshot.lastError.message },
    url: snapshot.url ?? null,
    kid: snapshot.kid ?? null,
    refusedLocalSettings: refused.map((r) => ({ key: r.key, reason: r.reason })),
    document:
      snapshot.source === 'embedded' || document === undefined
        ? null
        : (JSON.parse(JSON.stringify(document)) as Record<string, unknown>),
  };
}

async function showReply(): Promise<{ reply: PolicyShowReply; running: boolean }> {
  try {
    return { reply: await client().policy(), running: true };
  } catch (err) {
    if (!(LlmgateError.is(err) && err.code === 'LG_CONTROL_DAEMON_DOWN')) throw err;
    return { reply: await offlineShow(await loadConfig(paths().config)), running: false };
  }
}

export function renderPolicy(reply: PolicyShowReply, running: boolean): string {
  const signature =
    reply.signature === 'verified'
      ? `signature verified${reply.kid === null ? '' : `, key ${reply.kid}`}`
      : reply.signature === 'unsigned'
        ? 'unsigned'
        : 'no signature';
  const rules = Array.isArray(reply.document?.rules) ? reply.document.rules.length : 0;
  const rows: [string, string][] = [
    ['policy', `${reply.id} version ${reply.version} (${reply.source}, ${signature})`],
    ['state', `${reply.state}${reply.state === 'unavailable' ? ` (fails ${reply.failureMode})` : ''}`],
    ['rules', String(rules)],
    ['groups', reply.groups.join(', ')],
  ];
  if (reply.url !== null) rows.push(['url', reply.url]);
  if (reply.fetchedAt !== null) rows.push(['fetched', reply.fetchedAt]);
  if (reply.expiresAt !== null) rows.push(['expires', reply.expiresAt]);
  for (const l of reply.limits)
    rows.push([
      'limit',
      `${l.rule} ${l.model}: ${l.remaining} of ${l.limit} ${l.kind} left (resets ${l.resetsAt})`,
    ]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  if (reply.error !== null) lines.push(`# ${reply.error.code}: ${reply.error.message}`);
  for (const r of reply.refusedLocalSettings) lines.push(`# local setting ${r.key} refused: ${r.reason}`);
  if (!running)
    lines.push(
      '# llmgate is not running: shown from disk (the local policy file or the cached org policy), not fetched.',
    );
  return lines.join('\n');
}

export async function policyShow(options: { json?: boolean }): Promise<void> {
  const { reply, running } = await showReply();
  if (options.json) printJson(reply);
  else process.stdout.write(`${renderPolicy(reply, running)}\n`);
}

export async function policyPull(options: { json?: boolean }): Promise<void> {
  // A fetch may take the policy server's full timeout: wait longer than for other control calls.
  const reply = await new ControlClient(paths().controlSocket, 30_000).policyPull();
  if (options.json) printJson(reply);
  else {
    const head =
      reply.error !== null
        ? `pull failed: ${reply.error.code}: ${reply.error.message}`
        : reply.changed
          ? 'pulled a new policy'
          : 'policy unchanged';
    process.stdout.write(`${head}\n${renderPolicy(reply.policy, true)}\n`);
  }
  if (reply.error !== null) throw new CliExit(EXIT_ERROR);
}

function policyOf(reply: PolicyShowReply): CompiledPolicy {
  if (reply.source === 'embedded') return compilePolicy(EMBEDDED_POLICY);
  if (reply.document === null) {
    throw new PolicyError(
      'LG_POLICY_UNAVAILABLE',
      `no valid policy is in force${reply.error === null ? '' : ` (${reply.error.code})`}; run \`llmgate policy pull\``,
    );
  }
  return compilePolicy(parsePolicyDocument(reply.document, 'the policy in force'));
}

export function renderExplanation(e: Explanation): string {
  const lines = [
    `decision  ${e.decision}${e.refusal === null ? '' : ` (rule ${e.refusal.rule}, HTTP ${e.refusal.status})`}`,
    `policy    ${e.policy.id} version ${e.policy.version} (${e.policy.source})`,
    `request   ${e.request.provider ?? 'unknown provider'} ${e.request.host}, model ${e.request.model ?? 'unknown'}, ${e.request.bytes} bytes${e.request.tools.length === 0 ? '' : `, tools ${e.request.tools.join(', ')}`}`,
    `groups    ${e.groups.join(', ')}`,
  ];
  if (e.refusal !== null) lines.push(`reason    ${e.refusal.reason}`, `fix       ${e.refusal.fix}`);
  if (e.route !== null) lines.push(`route     ${e.route.host} -> ${e.route.upstream} (rule ${e.route.rule})`);
  lines.push('rules:');
  if (e.rules.length === 0) lines.push('  (no policy rule matched)');
  for (const m of e.rules) lines.push(`  ${m.rule}  ${m.effect} ${m.kind}: ${m.detail}`);
  if (e.findings.length > 0) {
    lines.push('findings:');
    for (const f of e.findings) lines.push(`  ${f.rule}  ${f.category} -> ${f.action}`);
  }
  return lines.join('\n');
}

export async function policyExplain(file: string, options: { json?: boolean }): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new PolicyError('LG_POLICY_INVALID', `${file} cannot be read as JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const request = parseExplainRequest(json, file);
  const config = await loadConfig(paths().config);
  const { reply } = await showReply();
  const policy = policyOf(reply);
  const snapshot: Pick<PolicySnapshot, 'policy' | 'source'> = {
    policy,
    source: reply.source === 'org' || reply.source === 'local-file' ? reply.source : 'embedded',
  };
  const { detector } = await effectiveDetector(config, paths().home, snapshot);
  const explanation = explainRequest(
    request,
    policy,
    reply.source,
    detector,
    new Set(Object.keys(config.upstreams)),
  );
  if (options.json) printJson(explanation);
  else process.stdout.write(`${renderExplanation(explanation)}\n`);
  if (explanation.decision === 'block') throw new CliExit(EXIT_FOUND);
}
