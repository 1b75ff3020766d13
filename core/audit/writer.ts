/**
 * Commits audit events from the daemon's own thread, with group commit: the events appended in one tick
 * of the event loop are chained (prevHash/hash in `seq` order, computed here and nowhere else) and
 * committed in one SQLite transaction at the end of that tick. A commit in WAL mode without an fsync is a
 * few writes into the kernel's page cache, tens of microseconds; a round trip to a writer thread cost more
 * than that on every response (docs/BENCHMARKS.md, "Audit commit on the daemon's thread"). The slow file
 * work (fsync, copying the WAL into the database, the sync's reads) is the WAL thread's (wal-thread.ts).
 *
 * `append` resolves once the event is committed, so the proxy finishes a response only after its event
 * survives a killed daemon. When the log cannot be written (a full disk, an I/O error) the events are
 * kept in memory, in order, and retried every second; meanwhile `health()` says why, and the daemon
 * refuses new requests (fail closed: nothing leaves the machine unrecorded).
 */
import { realpathSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { AuditError } from '../errors.js';
import { canonicalJson, eventHash } from './chain.js';
import type { AuditEvent, AuditEventInput } from './event.js';
import type {
  WalThreadOpName,
  WalThreadReply,
  WalThreadRequest,
  WriterOpName,
  WriterOps,
} from './protocol.js';
import { openDatabase } from './store.js';

export interface AuditWriterOptions {
  readonly file: string;
  /**
   * Resolve an append only after its commit is fsynced (power-cut durable per response, about 0.75 ms
   * more per request here); by default it resolves once the commit is in the WAL, fsynced within 50 ms.
   */
  readonly fsyncEachCommit?: boolean;
  /** Write failures, fsync failures and a dead WAL thread. */
  readonly onError?: (err: AuditError) => void;
  /** After each commit, with the chain's new head. */
  readonly onCommit?: (lastSeq: number, lastHash: string) => void;
  /** After the log became writable again, with how many held events it wrote. */
  readonly onRecovered?: (written: number) => void;
}

/** Whether events can be committed now; when not, why, and what is held in memory meanwhile. */
export type AuditHealth =
  | { readonly writable: true }
  | {
      readonly writable: false;
      /** ISO time of the first failure. */
      readonly since: string;
      /** One sentence: what failed (never event content). */
      readonly reason: string;
      /** Events held in memory, written once the log is writable again. */
      readonly held: number;
      /** Events that did not fit in memory and are lost. */
      readonly dropped: number;
    };

export interface AuditWriter {
  /**
   * Resolves true once the event is committed; false at once when the log cannot be written now (the
   * event is then held in memory and written on recovery, see AuditHealth).
   */
  append(event: AuditEventInput): Promise<boolean>;
  /** Runs one operation: sync reads and fsyncs on the WAL thread, small writes here. */
  call<K extends WriterOpName>(op: K, args: WriterOps[K][0]): Promise<WriterOps[K][1]>;
  health(): AuditHealth;
  /** Commits what was appended so far and fsyncs it. */
  flush(): Promise<void>;
  /** Flushes, ends the WAL thread and closes the database. */
  close(): Promise<void>;
}

/** How often a log that failed is tried again. */
const RETRY_EVERY_MS = 1_000;
/**
 * Events held in memory while the log cannot be written. New requests are refused meanwhile, so only
 * their refusals (and the answers of requests already in flight) add up; beyond this they are counted
 * as dropped.
 */
const MAX_HELD = 10_000;
/** Events deleted per transaction when pruning, so a prune never holds the event loop for long. */
const PRUNE_CHUNK = 500;

/**
 * Starts the WAL thread: from compiled JavaScript normally; under the tests, which run the TypeScript
 * sources, through tsx's loader registered inside the thread first.
 */
function startThread(workerData: { file: string; committed: BigInt64Array; armed: Int32Array }): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./wal-thread.js', import.meta.url), { workerData });
  }
  const source = new URL('./wal-thread.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

interface Waiter {
  readonly commit: number;
  readonly resolve: (committed: boolean) => void;
}

/** The sentence a person reads: a full disk named as such, any other failure by SQLite's message. */
function failureReason(file: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_FULL') return `the disk holding the audit log ${file} is full`;
  return `the audit log ${file} cannot be written: ${(err as Error).message}`;
}

export async function openAuditWriter(options: AuditWriterOptions): Promise<AuditWriter> {
  const onError = options.onError ?? (() => {});
  const fsyncEachCommit = options.fsyncEachCommit ?? false;
  const db = openDatabase(options.file, false, 'NORMAL');
  // The WAL thread copies the WAL into the database; here that copy (with its fsyncs) would stall the
  // event loop every thousand pages. A short busy wait: only the thread's checkpoint ever competes.
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('busy_timeout = 100');
  const committed = new BigInt64Array(new SharedArrayBuffer(8));
  const armed = new Int32Array(new SharedArrayBuffer(4));
  const worker = startThread({ file: realpathSync(options.file), committed, armed });
  const calls = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextCallId = 1;
  let threadDead = false;

  try {
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: WalThreadReply): void => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        } else if (message.type === 'failed') {
          reject(new AuditError('LG_AUDIT_UNAVAILABLE', message.message));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (err) =>
        reject(
          new AuditError('LG_AUDIT_UNAVAILABLE', `audit WAL thread failed to start: ${err.message}`, {
            cause: err,
          }),
        ),
      );
    });
  } catch (err) {
    await worker.terminate();
    db.close();
    throw err;
  }

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

  /** Chains and inserts the events; throws (and rolls back) if any of them cannot be written. */
  const commitEvents = db.transaction((events: readonly AuditEventInput[]) => {
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

  /** Appended, not yet committed (all of them while the log is failing). */
  let queue: AuditEventInput[] = [];
  let queueWaiters: ((committed: boolean) => void)[] = [];
  let scheduled = false;
  let commitCount = 0;
  /** With fsyncEachCommit: committed, waiting for their fsync. */
  const durableWaiters: Waiter[] = [];
  let failure: { since: string; reason: string } | undefined;
  let dropped = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const post = (message: WalThreadRequest): void => {
    if (!threadDead) worker.postMessage(message);
  };

  /** Commits the queue; on failure keeps it and starts the retries. Returns whether it committed. */
  const commitQueue = (): boolean => {
    scheduled = false;
    if (queue.length === 0) return true;
    const events = queue;
    const waiters = queueWaiters;
    let head: { seq: number; hash: string | null };
    try {
      head = commitEvents(events);
    } catch (err) {
      if (failure === undefined) {
        failure = { since: new Date().toISOString(), reason: failureReason(options.file, err) };
        onError(new AuditError('LG_AUDIT_UNAVAILABLE', `audit write failed: ${failure.reason}`));
      }
      // Nobody waits for a failed log: the answer goes out; its event stays held, in order.
      queueWaiters = [];
      for (const resolve of waiters) resolve(false);
      retryTimer ??= setInterval(retry, RETRY_EVERY_MS);
      return false;
    }
    queue = [];
    queueWaiters = [];
    lastSeq = head.seq;
    lastHash = head.hash;
    commitCount++;
    Atomics.store(committed, 0, BigInt(commitCount));
    // A message per commit only when each waits for its fsync; otherwise one per fsync window.
    if (fsyncEachCommit || Atomics.compareExchange(armed, 0, 0, 1) === 0)
      post({ type: 'committed', commit: commitCount, now: fsyncEachCommit });
    if (fsyncEachCommit && !threadDead) {
      for (const resolve of waiters) durableWaiters.push({ commit: commitCount, resolve });
    } else {
      for (const resolve of waiters) resolve(true);
    }
    options.onCommit?.(lastSeq, lastHash ?? '');
    return true;
  };

  function retry(): void {
    const held = queue.length;
    if (!commitQueue()) return;
    clearInterval(retryTimer);
    retryTimer = undefined;
    failure = undefined;
    options.onRecovered?.(held);
  }

  const resolveDurable = (upTo: number, ok: boolean): void => {
    while (durableWaiters.length > 0 && (durableWaiters[0]!.commit <= upTo || !ok)) {
      durableWaiters.shift()!.resolve(ok);
    }
  };

  const threadGone = (err: AuditError): void => {
    if (threadDead) return;
    threadDead = true;
    if (!closed) onError(err);
    // Commits keep working without the thread; only the fsync waits and the sync's reads end.
    resolveDurable(Number.MAX_SAFE_INTEGER, true);
    for (const call of calls.values()) call.reject(err);
    calls.clear();
  };

  worker.on('message', (message: WalThreadReply) => {
    switch (message.type) {
      case 'durable':
        resolveDurable(message.commit, true);
        break;
      case 'fsync-failed':
        onError(new AuditError('LG_AUDIT_UNAVAILABLE', `audit log fsync failed: ${message.message}`));
        break;
      case 'result': {
        const call = calls.get(message.id);
        calls.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else call?.reject(new AuditError('LG_AUDIT_UNAVAILABLE', message.message));
        break;
      }
      default:
        break;
    }
  });
  worker.on('error', (err) =>
    threadGone(new AuditError('LG_AUDIT_UNAVAILABLE', `audit WAL thread: ${err.message}`, { cause: err })),
  );
  worker.on('exit', () => threadGone(new AuditError('LG_AUDIT_UNAVAILABLE', 'audit WAL thread ended')));

  const onThread = <K extends WalThreadOpName>(op: K, args: WriterOps[K][0]): Promise<WriterOps[K][1]> => {
    if (threadDead) return Promise.reject(new AuditError('LG_AUDIT_UNAVAILABLE', 'audit WAL thread ended'));
    const id = nextCallId++;
    return new Promise<WriterOps[K][1]>((resolve, reject) => {
      calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ type: 'call', id, op, args } as WalThreadRequest);
    });
  };

  const stats = (): WriterOps['stats'][1] => {
    const syncedSeq = metaNumber('sync.events');
    const backlog = (
      db.prepare('SELECT count(*) AS n FROM events WHERE seq > ?').get(syncedSeq) as { n: number }
    ).n;
    const lastCheckpointSeq = (
      db.prepare('SELECT coalesce(max(seq), 0) AS n FROM checkpoints').get() as { n: number }
    ).n;
    return { lastSeq, lastHash, lastCheckpointSeq, backlog, syncedSeq };
  };

  const advance = db.transaction(({ eventSeq, checkpointSeq }: WriterOps['advance'][0]) => {
    if (eventSeq > metaNumber('sync.events')) setMeta.run('sync.events', String(eventSeq));
    if (checkpointSeq > metaNumber('sync.checkpoints'))
      setMeta.run('sync.checkpoints', String(checkpointSeq));
    return null;
  });

  const insertCheckpoint = db.prepare(
    'INSERT OR REPLACE INTO checkpoints (seq, hash, time, jws) VALUES (?, ?, ?, ?)',
  );

  /** Deletes events up to `upTo` (one chunk) and records the new anchor; returns how many went. */
  const pruneChunk = db.transaction((upTo: number, keptCheckpoints: number) => {
    const anchor = db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(upTo) as
      string | undefined;
    if (anchor === undefined) return 0;
    const { changes } = db.prepare('DELETE FROM events WHERE seq <= ?').run(upTo);
    db.prepare('DELETE FROM checkpoints WHERE seq < ? AND seq <= ?').run(upTo, keptCheckpoints);
    setMeta.run('anchor.seq', String(upTo));
    setMeta.run('anchor.hash', anchor);
    return changes;
  });

  /**
   * Only a prefix of the chain goes, so what remains still verifies from the recorded anchor; in chunks,
   * each its own transaction that leaves a valid anchor, with a turn of the event loop between them.
   */
  const prune = async ({ before, keepUnsynced }: WriterOps['prune'][0]): Promise<WriterOps['prune'][1]> => {
    const firstYoung = db.prepare('SELECT min(seq) AS n FROM events WHERE time >= ?').get(before) as {
      n: number | null;
    };
    let cutoff = firstYoung.n === null ? lastSeq : firstYoung.n - 1;
    if (keepUnsynced) cutoff = Math.min(cutoff, metaNumber('sync.events'));
    const keptCheckpoints = keepUnsynced ? metaNumber('sync.checkpoints') : Number.MAX_SAFE_INTEGER;
    const chunkEnd = db.prepare(
      'SELECT max(seq) AS n FROM (SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)',
    );
    let pruned = 0;
    for (;;) {
      const end = (chunkEnd.get(cutoff, PRUNE_CHUNK) as { n: number | null }).n;
      if (end === null) break;
      pruned += pruneChunk(end, keptCheckpoints);
      if (end >= cutoff) break;
      await nextTurn();
    }
    return { pruned };
  };

  const call = async <K extends WriterOpName>(op: K, args: WriterOps[K][0]): Promise<WriterOps[K][1]> => {
    if (closed) throw new AuditError('LG_AUDIT_UNAVAILABLE', 'audit writer is closed');
    if (op === 'flush' || op === 'pending') return onThread(op as WalThreadOpName, args as never);
    try {
      switch (op) {
        case 'stats':
          return stats() as WriterOps[K][1];
        case 'advance':
          return advance(args as WriterOps['advance'][0]) as WriterOps[K][1];
        case 'checkpoint': {
          const { seq, hash, time, jws } = args as WriterOps['checkpoint'][0];
          insertCheckpoint.run(seq, hash, time, jws);
          return null as WriterOps[K][1];
        }
        default:
          return (await prune(args as WriterOps['prune'][0])) as WriterOps[K][1];
      }
    } catch (err) {
      if (err instanceof AuditError) throw err;
      throw new AuditError('LG_AUDIT_UNAVAILABLE', failureReason(options.file, err), { cause: err });
    }
  };

  let closing: Promise<void> | undefined;
  return {
    append(event) {
      if (closed) return Promise.resolve(false);
      if (failure !== undefined) {
        if (queue.length < MAX_HELD) queue.push(event);
        else dropped++;
        return Promise.resolve(false);
      }
      queue.push(event);
      // Events of the same tick go in one transaction. A microtask, not setImmediate: the response waits
      // for this commit, so a turn of the loop would be latency.
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(commitQueue);
      }
      return new Promise<boolean>((resolve) => queueWaiters.push(resolve));
    },
    call,
    health() {
      if (failure === undefined) return { writable: true };
      return { writable: false, ...failure, held: queue.length, dropped };
    },
    async flush() {
      if (failure === undefined) commitQueue();
      if (!threadDead) await onThread('flush', {});
    },
    close() {
      closing ??= (async () => {
        if (failure === undefined) commitQueue();
        else retry();
        clearInterval(retryTimer);
        if (failure !== undefined)
          onError(
            new AuditError(
              'LG_AUDIT_UNAVAILABLE',
              `${queue.length + dropped} audit events could not be written before the daemon stopped: ${failure.reason}`,
            ),
          );
        closed = true;
        if (!threadDead) {
          const id = nextCallId++;
          await new Promise<unknown>((resolve, reject) => {
            calls.set(id, { resolve, reject });
            worker.postMessage({ type: 'close', id } satisfies WalThreadRequest);
          }).catch(() => undefined);
        }
        threadDead = true;
        await worker.terminate();
        resolveDurable(Number.MAX_SAFE_INTEGER, true);
        db.close();
      })();
      return closing;
    },
  };
}
