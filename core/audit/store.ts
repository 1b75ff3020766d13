/**
 * The local audit log: one SQLite file (WAL), one row per request, laid out for the hash chain of
 * issue 7 (`prev_hash`, `hash`, strict `seq` order). Writes happen on a worker thread (writer.ts);
 * this module opens the database and reads it back.
 */
import { chmodSync, closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AuditError } from '../errors.js';
import { auditEventSchema, type AuditEvent } from './event.js';

const SCHEMA_VERSION = 1;

export function openDatabase(file: string, readonly: boolean): Database.Database {
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
