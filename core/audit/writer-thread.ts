/**
 * The audit writer's thread: owns the SQLite connection of a running daemon. It chains each batch of
 * events (prevHash/hash in `seq` order, so the chain is computed in exactly one place) and commits it in
 * one transaction, then acknowledges the batch: the proxy finishes a response only after that
 * acknowledgement. It also serves the sync's reads and cursor moves, checkpoints and pruning, so none of
 * SQLite's cost lands on the proxy's event loop. Messages are handled in order.
 */
import { fsyncSync, openSync, closeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { canonicalJson, eventHash } from './chain.js';
import type { AuditEvent, AuditEventInput } from './event.js';
import type { WriterOpName, WriterOps, WriterReply, WriterRequest } from './protocol.js';
import { openDatabase } from './store.js';

const port = parentPort!;
const reply = (message: WriterReply): void => port.postMessage(message);
const { file, fsyncEachCommit } = workerData as { file: string; fsyncEachCommit: boolean };

/**
 * Without `fsyncEachCommit`, a batch is acknowledged once it is in the WAL file (durable against a
 * killed process: the data is in the kernel), and the WAL is fsynced at most FSYNC_WINDOW_MS later, so
 * a power cut loses at most that window of answered events. Measured on the project machine: the fsync
 * in every commit added about 0.75 ms to each response (bench/audit, docs/BENCHMARKS.md).
 */
const FSYNC_WINDOW_MS = 50;

try {
  const db = openDatabase(file, false, fsyncEachCommit ? 'FULL' : 'NORMAL');
  // fsync applies to the file, whichever descriptor wrote it; the WAL exists once journal_mode is WAL.
  // 'r+': Windows flushes only through a handle with write access.
  const walFd = fsyncEachCommit ? undefined : openSync(`${file}-wal`, 'r+');
  let fsyncTimer: NodeJS.Timeout | undefined;
  const fsyncWal = (): void => {
    fsyncTimer = undefined;
    try {
      if (walFd !== undefined) fsyncSync(walFd);
    } catch (err) {
      reply({ type: 'fsync-failed', message: (err as Error).message });
    }
  };
  const scheduleFsync = (): void => {
    fsyncTimer ??= setTimeout(fsyncWal, FSYNC_WINDOW_MS);
  };
  const insert = db.prepare('INSERT INTO events (id, time, event, prev_hash, hash) VALUES (?, ?, ?, ?, ?)');
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const setMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const metaNumber = (key: string): number => Number((getMeta.get(key) as string | undefined) ?? 0);
  const head = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string | null } | undefined;
  let lastSeq = head?.seq ?? 0;
  // After a prune that emptied the table, the chain continues from the anchor.
  let lastHash: string | null = head?.hash ?? (getMeta.get('anchor.hash') as string | undefined) ?? null;

  const appendBatch = db.transaction((events: readonly AuditEventInput[]) => {
    let prevHash = lastHash;
    let seq = lastSeq;
    for (const input of events) {
      const event: AuditEvent = { ...input, prevHash, hash: null };
      event.hash = eventHash(event);
      seq = Number(
        insert.run(event.id, event.time, canonicalJson(event), prevHash, event.hash).lastInsertRowid,
      );
      prevHash = event.hash;
    }
    return { seq, hash: prevHash };
  });

  const ops: { [K in WriterOpName]: (args: WriterOps[K][0]) => WriterOps[K][1] } = {
    flush: () => {
      clearTimeout(fsyncTimer);
      fsyncWal();
      return null;
    },
    stats: () => {
      const syncedSeq = metaNumber('sync.events');
      const backlog = (
        db.prepare('SELECT count(*) AS n FROM events WHERE seq > ?').get(syncedSeq) as { n: number }
      ).n;
      const lastCheckpointSeq = (
        db.prepare('SELECT coalesce(max(seq), 0) AS n FROM checkpoints').get() as { n: number }
      ).n;
      return { lastSeq, lastHash, lastCheckpointSeq, backlog, syncedSeq };
    },
    pending: ({ limit }) => ({
      events: db
        .prepare('SELECT seq, event FROM events WHERE seq > ? ORDER BY seq LIMIT ?')
        .all(metaNumber('sync.events'), limit) as { seq: number; event: string }[],
      checkpoints: db
        .prepare('SELECT seq, hash, time, jws FROM checkpoints WHERE seq > ? ORDER BY seq LIMIT ?')
        .all(metaNumber('sync.checkpoints'), limit) as PendingCheckpoint[],
    }),
    advance: db.transaction(({ eventSeq, checkpointSeq }: WriterOps['advance'][0]) => {
      if (eventSeq > metaNumber('sync.events')) setMeta.run('sync.events', String(eventSeq));
      if (checkpointSeq > metaNumber('sync.checkpoints'))
        setMeta.run('sync.checkpoints', String(checkpointSeq));
      return null;
    }),
    checkpoint: ({ seq, hash, time, jws }) => {
      db.prepare('INSERT OR REPLACE INTO checkpoints (seq, hash, time, jws) VALUES (?, ?, ?, ?)').run(
        seq,
        hash,
        time,
        jws,
      );
      return null;
    },
    prune: db.transaction(({ before, keepUnsynced }: WriterOps['prune'][0]) => {
      // Only a prefix of the chain goes, so what remains still verifies from the recorded anchor.
      const firstYoung = db.prepare('SELECT min(seq) AS n FROM events WHERE time >= ?').get(before) as {
        n: number | null;
      };
      let cutoff = firstYoung.n === null ? lastSeq : firstYoung.n - 1;
      if (keepUnsynced) cutoff = Math.min(cutoff, metaNumber('sync.events'));
      const anchor = db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(cutoff) as
        string | undefined;
      if (anchor === undefined) return { pruned: 0 };
      const { changes } = db.prepare('DELETE FROM events WHERE seq <= ?').run(cutoff);
      const keptCheckpoints = keepUnsynced ? metaNumber('sync.checkpoints') : Number.MAX_SAFE_INTEGER;
      db.prepare('DELETE FROM checkpoints WHERE seq < ? AND seq <= ?').run(cutoff, keptCheckpoints);
      setMeta.run('anchor.seq', String(cutoff));
      setMeta.run('anchor.hash', anchor);
      return { pruned: changes };
    }),
    close: () => {
      clearTimeout(fsyncTimer);
      fsyncWal();
      if (walFd !== undefined) closeSync(walFd);
      db.close();
      return null;
    },
  };
  type PendingCheckpoint = { seq: number; hash: string; time: string; jws: string };

  port.on('message', (message: WriterRequest) => {
    if (message.type === 'append') {
      try {
        const { seq, hash } = appendBatch(message.events);
        lastSeq = seq;
        lastHash = hash;
        reply({ type: 'committed', batch: message.batch, lastSeq, lastHash: hash ?? '' });
        scheduleFsync();
      } catch (err) {
        reply({ type: 'append-failed', batch: message.batch, message: (err as Error).message });
      }
      return;
    }
    try {
      const run = ops[message.op] as (args: unknown) => unknown;
      const value = run(message.args);
      reply({ type: 'result', id: message.id, ok: true, value });
      if (message.op === 'close') port.close();
    } catch (err) {
      reply({ type: 'result', id: message.id, ok: false, message: (err as Error).message });
    }
  });
  reply({ type: 'ready' });
} catch (err) {
  reply({ type: 'failed', message: (err as Error).message });
}
