/**
 * The audit log's WAL thread: the file work that must not land on the proxy's event loop. The daemon's
 * thread commits events to the WAL itself (writer.ts: a WAL commit without fsync costs tens of
 * microseconds, a round trip to a thread costs more); this thread then fsyncs the WAL (within a bounded
 * window, or at once for `fsyncEachCommit`), copies the WAL into the database (SQLite's checkpoint, which
 * the committing connection no longer runs), and serves the sync's reads. Messages are handled in order.
 */
import { closeSync, fstatSync, fsyncSync, openSync, realpathSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { WalThreadReply, WalThreadRequest, WriterOps } from './protocol.js';
import { openDatabase } from './store.js';

const port = parentPort!;
const reply = (message: WalThreadReply): void => port.postMessage(message);
/**
 * Shared with the committing thread: `committed[0]` is the number of the newest commit in the WAL;
 * `armed[0]` is 1 while an fsync is scheduled, so the committing thread announces at most one commit per
 * window instead of posting a message per response.
 */
const { file, committed, armed } = workerData as {
  file: string;
  committed: BigInt64Array;
  armed: Int32Array;
};

/**
 * Without `fsyncEachCommit`, a commit is in the WAL file when the response ends (durable against a killed
 * process: the data is in the kernel), and the WAL is fsynced at most FSYNC_WINDOW_MS later, so a power
 * cut loses at most that window of answered events. Measured on the project machine: an fsync in every
 * commit added about 0.75 ms to each response (bench/audit, docs/BENCHMARKS.md).
 */
const FSYNC_WINDOW_MS = 50;
/** How often the WAL is copied into the database, so it stays small. */
const CHECKPOINT_EVERY_MS = 1_000;
/**
 * Under steady load a PASSIVE copy rarely finds the WAL fully copied when the next commit starts, so
 * SQLite never rewinds it and it grows without end. Past this size the thread truncates it: the PASSIVE
 * copy has moved almost everything, so the committing thread waits only for the tail.
 */
const TRUNCATE_WAL_BYTES = 8 * 1024 * 1024;

try {
  const db = openDatabase(file, false);
  // A reader elsewhere (`audit tail`) can hold up a truncation; give up quickly and try next time.
  db.pragma('busy_timeout = 50');
  // fsync applies to the file, whichever descriptor wrote it; the WAL exists once journal_mode is WAL and
  // lies beside the database's real path (SQLite follows a symlinked database file).
  // 'r+': Windows flushes only through a handle with write access.
  const walFd = openSync(`${realpathSync(file)}-wal`, 'r+');
  /** Every commit up to this number is fsynced. */
  let durable = 0n;
  let fsyncTimer: NodeJS.Timeout | undefined;
  let lastWalCheckpoint = Date.now();

  /**
   * Copies the WAL into the database once a second, and at once (then truncates it) when it has grown
   * past TRUNCATE_WAL_BYTES; checked after every fsync, so at most one fsync window of growth beyond it.
   */
  const copyWal = (): void => {
    try {
      const large = fstatSync(walFd).size > TRUNCATE_WAL_BYTES;
      if (!large && Date.now() - lastWalCheckpoint < CHECKPOINT_EVERY_MS) return;
      lastWalCheckpoint = Date.now();
      // PASSIVE: copies what it can without waiting for, or blocking, the committing connection.
      db.pragma('wal_checkpoint(PASSIVE)');
      if (large) db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Retried after the next fsync; a failed copy loses nothing (the WAL still holds the commits).
    }
  };

  /** fsyncs the WAL; throws when that fails (after telling the committing thread). */
  const fsyncWal = (): void => {
    clearTimeout(fsyncTimer);
    fsyncTimer = undefined;
    // Disarm before reading the counter: a commit after this point announces itself again, and one
    // before it is in the WAL (commits are counted after they are written), so this fsync covers it.
    Atomics.store(armed, 0, 0);
    const upTo = Atomics.load(committed, 0);
    try {
      fsyncSync(walFd);
    } catch (err) {
      reply({ type: 'fsync-failed', message: (err as Error).message });
      throw err;
    }
    if (upTo > durable) {
      durable = upTo;
      reply({ type: 'durable', commit: Number(upTo) });
    }
    copyWal();
  };
  const fsyncSoon = (): void => {
    try {
      fsyncWal();
    } catch {
      // Reported as fsync-failed; the committing thread fails closed.
    }
  };

  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const metaNumber = (key: string): number => Number((getMeta.get(key) as string | undefined) ?? 0);
  const pendingEvents = db.prepare('SELECT seq, event FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
  const pendingCheckpoints = db.prepare(
    'SELECT seq, hash, time, jws FROM checkpoints WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const ops: { flush: () => null; pending: (args: WriterOps['pending'][0]) => WriterOps['pending'][1] } = {
    flush: () => {
      fsyncWal();
      return null;
    },
    pending: ({ limit }) => ({
      events: pendingEvents.all(metaNumber('sync.events'), limit) as { seq: number; event: string }[],
      checkpoints: pendingCheckpoints.all(metaNumber('sync.checkpoints'), limit) as PendingCheckpoint[],
    }),
  };
  type PendingCheckpoint = { seq: number; hash: string; time: string; jws: string };

  port.on('message', (message: WalThreadRequest) => {
    switch (message.type) {
      case 'committed':
        // Every announcement in the window mode arms a timer, even one an earlier fsync already
        // covered: the committing thread stays armed until a timer runs, so dropping one would leave
        // every later commit unannounced (and never fsynced).
        if (!message.now) fsyncTimer ??= setTimeout(fsyncSoon, FSYNC_WINDOW_MS);
        else if (BigInt(message.commit) > durable) fsyncSoon();
        return;
      case 'close':
        try {
          fsyncWal();
          reply({ type: 'result', id: message.id, ok: true, value: null });
        } catch (err) {
          reply({ type: 'result', id: message.id, ok: false, message: (err as Error).message });
        } finally {
          closeSync(walFd);
          db.close();
          port.close();
        }
        return;
      case 'call':
        try {
          const value = message.op === 'flush' ? ops.flush() : ops.pending(message.args);
          reply({ type: 'result', id: message.id, ok: true, value });
        } catch (err) {
          reply({ type: 'result', id: message.id, ok: false, message: (err as Error).message });
        }
        return;
    }
  });
  reply({ type: 'ready' });
} catch (err) {
  reply({ type: 'failed', message: (err as Error).message });
}
