import type { StatusReply } from '../../core/control/index.js';
import { LlmgateError } from '../../core/errors.js';
import { CliExit, EXIT_ERROR, client, printJson } from '../context.js';

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
      status.identity === null ? 'not signed in (sign-in not configured)' : String(status.identity),
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
    ['ca', status.ca.certPath],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

export async function status(options: { json?: boolean }): Promise<void> {
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
