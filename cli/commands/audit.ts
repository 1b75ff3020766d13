import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  openAuditReader,
  readFileSignerThumbprint,
  verifyAuditLog,
  type AuditEvent,
  type AuditReader,
} from '../../core/audit/index.js';
import { ControlClient } from '../../core/control/index.js';
import { CliExit, EXIT_ERROR, EXIT_FOUND, paths, printJson } from '../context.js';

function reader(): AuditReader {
  const file = paths().auditDb;
  if (!existsSync(file))
    throw new CliExit(EXIT_ERROR, `No audit log yet at ${file}: it is created by \`llmgate start\`.`);
  return openAuditReader(file);
}

function row(event: AuditEvent): string {
  const redactions = Object.values(event.redactions).reduce((a, b) => a + b, 0);
  const what =
    event.decision === 'allow'
      ? 'allow'
      : `${event.decision}${event.rules.length > 0 ? ` ${event.rules.join(',')}` : ''}`;
  return [
    event.time,
    String(event.status ?? '-').padEnd(3),
    event.method.padEnd(4),
    `${event.host}${event.path}`,
    event.model ?? '-',
    what,
    redactions > 0 ? `(${redactions} redacted)` : '',
  ]
    .join('  ')
    .trimEnd();
}

/** How often `audit tail --follow` looks for new events (read-only, so it works beside the daemon). */
const FOLLOW_POLL_MS = 250;

export async function auditTail(options: {
  lines?: number;
  json?: boolean;
  follow?: boolean;
}): Promise<void> {
  const db = reader();
  const print = (event: AuditEvent): void => {
    process.stdout.write(`${options.json ? JSON.stringify(event) : row(event)}\n`);
  };
  try {
    let seq = db.lastSeq();
    for (const event of db.events({ last: options.lines ?? 20 })) print(event);
    if (!options.follow) return;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    while (!stopped) {
      await sleep(FOLLOW_POLL_MS);
      for (const next of db.after(seq, 1000)) {
        print(next.event);
        seq = next.seq;
      }
    }
  } finally {
    db.close();
  }
}

export function auditExport(options: { since?: string }): void {
  let since: string | undefined;
  if (options.since !== undefined) {
    const time = new Date(options.since);
    if (Number.isNaN(time.getTime()))
      throw new CliExit(EXIT_ERROR, `llmgate audit export: --since "${options.since}" is not a date`);
    since = time.toISOString();
  }
  const db = reader();
  try {
    for (const event of db.events({ since })) process.stdout.write(`${JSON.stringify(event)}\n`);
  } finally {
    db.close();
  }
}

/** Exit 0 when the chain and checkpoints hold, 1 when tampering was found, 2 when the log cannot be read. */
export async function auditVerify(options: { json?: boolean }): Promise<void> {
  const { auditDb, auditKey } = paths();
  if (!existsSync(auditDb))
    throw new CliExit(EXIT_ERROR, `No audit log yet at ${auditDb}: it is created by \`llmgate start\`.`);
  const report = await verifyAuditLog({
    file: auditDb,
    expectedSigner: await readFileSignerThumbprint(auditKey),
  });
  if (options.json) {
    printJson(report);
  } else if (report.ok) {
    process.stdout.write(
      `ok: ${report.events} events chained, ${report.checkpoints} signed checkpoints (verified up to seq ${report.checkpointedSeq})\n`,
    );
  } else {
    for (const p of report.problems) process.stdout.write(`${p.kind}: ${p.message}\n`);
    process.stdout.write(`${report.problems.length} problems in ${report.events} events\n`);
  }
  if (!report.ok) throw new CliExit(EXIT_FOUND);
}

/** Exit 0 when the backlog was exported, 2 when the export failed (the daemon retries on its own). */
export async function auditSync(options: { json?: boolean }): Promise<void> {
  // An export may wait for a slow collector: allow longer than a status call.
  const reply = await new ControlClient(paths().controlSocket, 120_000).auditSync();
  if (options.json) printJson(reply);
  else if (reply.ok) process.stdout.write(`synced: ${reply.sent} events sent, backlog ${reply.backlog}\n`);
  else
    process.stdout.write(
      `sync failed (${reply.error}): ${reply.sent} events sent, backlog ${reply.backlog}\n`,
    );
  if (!reply.ok) throw new CliExit(EXIT_ERROR);
}
