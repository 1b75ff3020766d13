/**
 * The local audit log: one SQLite file (WAL), one row per request. Rows are appended in small batches
 * off the request path (one transaction per batch) so a burst of requests costs one fsync, not many.
 * The table is laid out for the hash chain of issue 7 (`prev_hash`, `hash`, strict `seq` order).
 */
import { chmodSync, closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AuditError } from '../errors.js';
import { auditEventSchema, type AuditEvent, type AuditEventInput } from './event.js';

const SCHEMA_VERSION = 1;
/**
 * Events are written in batches: one transaction per batch keeps the commit cost off most requests.
 * Issue 7 moves durability forward (an event committed before its response finishes).
 */
const BATCH_DELAY_MS = 20;
const MAX_BATCH = 256;

function openDatabase(file: string, readonly: boolean): Database.Database {
  try {
    if (!readonly) closeSync(openSync(file, 'a', 0o600));
    const db = new Database(file, { readonly, fileMustExist: readonly });
    if (!readonly) {
      chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(`
        CREATE TABLE IF NOT EXISTS events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          time TEXT NOT NULL,
          event TEXT NOT NULL,
          prev_hash TEXT,
          hash TEXT
        );
        CREATE INDEX IF NOT EXISTS events_time ON events(time);
      `);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    return db;
  } catch (err) {
    throw new AuditError(
      'LG_AUDIT_UNAVAILABLE',
      `cannot open the audit log ${file}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

export interface AuditWriter {
  append(event: AuditEventInput): void;
  /** Writes what is queued now. */
  flush(): void;
  close(): void;
}

export function openAuditWriter(file: string, onError: (err: Error) => void = () => {}): AuditWriter {
  const db = openDatabase(file, false);
  const insert = db.prepare(
    'INSERT INTO events (id, time, event, prev_hash, hash) VALUES (?, ?, ?, NULL, NULL)',
  );
  let queue: AuditEventInput[] = [];
  let scheduled = false;

  const writeBatch = db.transaction((batch: AuditEventInput[]) => {
    for (const event of batch) {
      const row: AuditEvent = { ...event, prevHash: null, hash: null };
      insert.run(event.id, event.time, JSON.stringify(row));
    }
  });

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      writeBatch(batch);
    } catch (err) {
      onError(
        new AuditError('LG_AUDIT_UNAVAILABLE', `audit write failed: ${(err as Error).message}`, {
          cause: err,
        }),
      );
    }
  };

  return {
    append(event) {
      queue.push(event);
      if (queue.length >= MAX_BATCH) {
        flush();
      } else if (!scheduled) {
        scheduled = true;
        setTimeout(flush, BATCH_DELAY_MS).unref();
      }
    },
    flush,
    close() {
      flush();
      db.close();
    },
  };
}

export interface AuditQuery {
  /** ISO time; events at or after it. */
  since?: string;
  /** The newest N events (in chronological order). */
  last?: number;
}

export interface AuditReader {
  events(query?: AuditQuery): Iterable<AuditEvent>;
  count(): number;
  close(): void;
}

export function openAuditReader(file: string): AuditReader {
  const db = openDatabase(file, true);
  const parseRow = (row: { event: string }): AuditEvent => {
    const parsed = auditEventSchema.safeParse(JSON.parse(row.event));
    if (!parsed.success)
      throw new AuditError(
        'LG_AUDIT_UNAVAILABLE',
        `audit row does not match the event schema: ${parsed.error.message}`,
      );
    return parsed.data;
  };
  return {
    *events(query = {}) {
      if (query.last !== undefined) {
        const rows = db
          .prepare(
            'SELECT event FROM (SELECT seq, event FROM events WHERE time >= ? ORDER BY seq DESC LIMIT ?) ORDER BY seq ASC',
          )
          .all(query.since ?? '', query.last) as { event: string }[];
        for (const row of rows) yield parseRow(row);
        return;
      }
      const rows = db
        .prepare('SELECT event FROM events WHERE time >= ? ORDER BY seq ASC')
        .iterate(query.since ?? '') as Iterable<{
        event: string;
      }>;
      for (const row of rows) yield parseRow(row);
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    },
    close() {
      db.close();
    },
  };
}
