import { existsSync } from 'node:fs';
import { openAuditReader, type AuditEvent } from '../../core/audit/index.js';
import { CliExit, EXIT_ERROR, paths } from '../context.js';

function reader() {
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

export function auditTail(options: { lines?: number; json?: boolean }): void {
  const db = reader();
  try {
    for (const event of db.events({ last: options.lines ?? 20 })) {
      process.stdout.write(`${options.json ? JSON.stringify(event) : row(event)}\n`);
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
