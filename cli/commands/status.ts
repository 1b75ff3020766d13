import type { StatusReply } from '../../core/control/index.js';
import { LlmgateError } from '../../core/errors.js';
import { CliExit, EXIT_ERROR, client, printJson } from '../context.js';
import type { WatchSnapshot } from './status-watch.js';
import { describeIdentity } from './login.js';

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${m}m` : m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** The text view, drawn from the same reply `--json` prints. */
export function renderStatus(status: StatusReply): string {
  const c = status.counters;
  const rows: [string, string][] = [
    ['state', `running (pid ${status.pid}, up ${duration(status.uptimeSeconds)}, v${status.version})`],
    ['proxy', status.proxy.url],
    [
      'identity',
      status.identity === null
        ? 'not signed in (sign-in not configured)'
        : status.identity.signedIn
          ? describeIdentity(status.identity)
          : `not signed in: run \`llmgate login\`${status.identity.requireSignIn ? ' (requests are refused until then)' : ''}`,
    ],
    [
      'policy',
      `${status.policy.id} v${status.policy.version} (${status.policy.source}${status.policy.state === 'ok' ? '' : `, unavailable: fails ${status.policy.failureMode}`})`,
    ],
    ...status.policy.limits.map((l): [string, string] => [
      'limit',
      `${l.model}: ${l.remaining} of ${l.limit} ${l.kind} left (rule ${l.rule})`,
    ]),
    ['requests', `${c.requests} (redactions ${c.redactions}, blocks ${c.blocks}, errors ${c.errors})`],
    ['tunnels', String(c.tunnels)],
    ['audit', `${status.audit.events} events this run, backlog ${status.audit.backlog}`],
    ...(status.audit.sync === null
      ? []
      : ([
          [
            'audit sync',
            `${status.audit.sync.url}: ${status.audit.sync.lastResult ?? 'not yet'}` +
              (status.audit.sync.lastError !== null ? ` (${status.audit.sync.lastError})` : '') +
              `, last success ${status.audit.sync.lastSuccessAt ?? 'never'}`,
          ],
        ] as [string, string][])),
    ['ca', status.ca.certPath],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  // Health warnings as `#` lines under the table, as `tailscale status` does.
  for (const warning of status.identity?.warnings ?? []) lines.push(`# warning: ${warning}`);
  for (const warning of status.audit.warnings) lines.push(`# ${warning}`);
  return lines.join('\n');
}

/** `--watch`: the live ink view, until q (or Ctrl+C); needs a terminal. */
async function watch(): Promise<void> {
  if (process.stdout.isTTY !== true) {
    throw new CliExit(EXIT_ERROR, 'llmgate status --watch needs a terminal; use --json for scripts.');
  }
  const [{ render }, { createElement }, { StatusWatch }] = await Promise.all([
    import('ink'),
    import('react'),
    import('./status-watch.js'),
  ]);
  const control = client();
  const load = async (): Promise<WatchSnapshot> => {
    try {
      const [reply, recent] = await Promise.all([control.status(), control.events()]);
      return { status: reply, events: recent.events, at: new Date() };
    } catch (err) {
      if (LlmgateError.is(err) && err.code === 'LG_CONTROL_DAEMON_DOWN')
        return { status: undefined, events: [], at: new Date() };
      throw err;
    }
  };
  await render(createElement(StatusWatch, { load })).waitUntilExit();
}

export async function status(options: { json?: boolean; watch?: boolean }): Promise<void> {
  if (options.watch === true) {
    if (options.json === true) throw new CliExit(EXIT_ERROR, 'llmgate status: choose --json or --watch');
    await watch();
    return;
  }
  let reply: StatusReply;
  try {
    reply = await client().status();
  } catch (err) {
    if (LlmgateError.is(err) && err.code === 'LG_CONTROL_DAEMON_DOWN' && options.json) {
      printJson({ running: false });
      throw new CliExit(EXIT_ERROR);
    }
    throw err;
  }
  if (options.json) printJson(reply);
  else process.stdout.write(`${renderStatus(reply)}\n`);
}
