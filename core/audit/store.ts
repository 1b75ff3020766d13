/**
 * The local audit log: one SQLite file (WAL), one row per request in strict `seq` order, each carrying
 * the hash chain (`prev_hash`, `hash`, see chain.ts); signed checkpoints over the chain; and `meta`
 * (the sync cursors and the prune anchor). The daemon commits on its own thread (writer.ts) and fsyncs on another (wal-thread.ts); this
 * module opens the database and reads it back.
 */
import { chmodSync, closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AuditError } from '../errors.js';
import { eventHash, canonicalJson } from './chain.js';
import { auditEventSchema, type AuditEvent } from './event.js';

/** 1: events only; 2: hash chain filled in, `checkpoints` and `meta` tables. */
const SCHEMA_VERSION = 2;

/** Rows written before the chain existed get it on first open, in `seq` order, in one transaction. */
function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= SCHEMA_VERSION) return;
  db.transaction(() => {
    const rows = db.prepare('SELECT seq, event FROM events WHERE hash IS NULL ORDER BY seq').all() as {
      seq: number;
      event: string;
    }[];
    const last = db
      .prepare('SELECT hash FROM events WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1')
      .get() as { hash: string } | undefined;
    let prevHash: string | null = last?.hash ?? null;
    const update = db.prepare('UPDATE events SET event = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    for (const row of rows) {
      const event = { ...(JSON.parse(row.event) as AuditEvent), prevHash };
      event.hash = eventHash(event);
      update.run(canonicalJson(event), prevHash, event.hash, row.seq);
      prevHash = event.hash;
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

export function openDatabase(file: string, readonly: boolean): Database.Database {
  try {
    if (!readonly) closeSync(openSync(file, 'a', 0o600));
    const db = new Database(file, { readonly, fileMustExist: readonly });
    if (!readonly) {
      chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      // WAL never corrupts the database on a crash or power cut. NORMAL writes each commit into the WAL
      // (it survives a killed process at once) without an fsync: the WAL thread fsyncs within a bounded
      // window, or per commit with `fsyncEachCommit` (wal-thread.ts).
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
        CREATE TABLE IF NOT EXISTS checkpoints (
          seq INTEGER PRIMARY KEY,
          hash TEXT NOT NULL,
          time TEXT NOT NULL,
          jws TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
      migrate(db);
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

export interface AuditRow {
  readonly seq: number;
  readonly event: AuditEvent;
}

export interface AuditReader {
  events(query?: AuditQuery): Iterable<AuditEvent>;
  /** Events after `seq`, oldest first (for `audit tail --follow`). */
  after(seq: number, limit: number): AuditRow[];
  /** The newest `seq`, 0 when empty. */
  lastSeq(): number;
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
    after(seq, limit) {
      const rows = db
        .prepare('SELECT seq, event FROM events WHERE seq > ? ORDER BY seq ASC LIMIT ?')
        .all(seq, limit) as { seq: number; event: string }[];
      return rows.map((row) => ({ seq: row.seq, event: parseRow(row) }));
    },
    lastSeq() {
      return (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events').get() as { n: number }).n;
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    },
    close() {
      db.close();
    },
  };
}
