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
  /** After the log became writable again: how many held events it wrote, how many did not fit. */
  readonly onRecovered?: (written: number, dropped: number) => void;
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
 * as lost.
 */
const MAX_HELD = 10_000;
/** Held events written per transaction on recovery, with a turn of the event loop between. */
const RETRY_CHUNK = 500;
/** Events deleted per transaction when pruning, so a prune never holds the event loop for long. */
const PRUNE_CHUNK = 500;
/**
 * How long a commit may wait for the WAL thread's truncation of the WAL (it copies only the tail the
 * PASSIVE copy left, a few milliseconds); past it the commit fails like a broken disk would.
 */
const BUSY_TIMEOUT_MS = 2_000;

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

/**
 * Whether SQLite failed because of the storage (the disk, the file), which holds for every event until
 * someone fixes it, rather than because of one event (a value JSON cannot hold, a duplicate id).
 */
function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|NOMEM|CORRUPT|NOTADB|PROTOCOL)/.test(code)
  );
}

/** The sentence a person reads: a full disk named as such, any other failure by SQLite's message. */
function failureReason(file: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = (err as Error).message;
  if (code === 'SQLITE_FULL' || /\bENOSPC\b|disk is full/i.test(message))
    return `the disk holding the audit log ${file} is full`;
  return `the audit log ${file} cannot be written: ${message}`;
}

export async function openAuditWriter(options: AuditWriterOptions): Promise<AuditWriter> {
  const onError = options.onError ?? (() => {});
  const fsyncEachCommit = options.fsyncEachCommit ?? false;
  const db = openDatabase(options.file, false);
  // The WAL thread copies the WAL into the database; here that copy (with its fsyncs) would stall the
  // event loop every thousand pages. Only the thread's truncation of the WAL ever makes a commit wait.
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
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
      worker.once('exit', (code) =>
        reject(new AuditError('LG_AUDIT_UNAVAILABLE', `audit WAL thread exited (${code}) while starting`)),
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

  /** Appended in this turn of the event loop, committed at its end. */
  let queue: AuditEventInput[] = [];
  let queueWaiters: ((committed: boolean) => void)[] = [];
  let scheduled = false;
  /** While the log cannot be written: every event since the failure, in order. */
  const held: AuditEventInput[] = [];
  let commitCount = 0;
  /** With fsyncEachCommit: committed, waiting for their fsync. */
  const durableWaiters: Waiter[] = [];
  let failure: { since: string; reason: string } | undefined;
  /** This outage: events that did not fit in memory, and held events written so far. */
  let dropped = 0;
  let written = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let retrying = false;
  /** No appends any more (close began); the database itself closes later. */
  let closed = false;
  let dbClosed = false;
  let closing: Promise<void> | undefined;

  const post = (message: WalThreadRequest): void => {
    if (!threadDead) worker.postMessage(message);
  };

  /** A commit went through: the chain's new head, announced to the WAL thread and the daemon. */
  const advanceHead = (head: { seq: number; hash: string | null }): number => {
    lastSeq = head.seq;
    lastHash = head.hash;
    commitCount++;
    Atomics.store(committed, 0, BigInt(commitCount));
    // A message per commit only when each waits for its fsync; otherwise one per fsync window.
    if (fsyncEachCommit || Atomics.compareExchange(armed, 0, 0, 1) === 0)
      post({ type: 'committed', commit: commitCount, now: fsyncEachCommit });
    options.onCommit?.(lastSeq, lastHash ?? '');
    return commitCount;
  };

  /**
   * Commits `events` in order and says how many from the front are done. A storage failure (full disk,
   * I/O error) stops it and is returned; an event that cannot be stored on its own (a value JSON cannot
   * hold, a duplicate id) is reported, left out and listed in `leftOut` (indexes into `events`), so one
   * bad event never holds the whole log.
   */
  const commitSome = (
    events: readonly AuditEventInput[],
  ): { done: number; leftOut: number[]; storageError?: unknown } => {
    try {
      advanceHead(commitEvents(events));
      return { done: events.length, leftOut: [] };
    } catch (err) {
      if (isStorageError(err)) return { done: 0, leftOut: [], storageError: err };
      if (events.length === 1) {
        onError(
          new AuditError(
            'LG_AUDIT_UNAVAILABLE',
            `audit event ${events[0]!.id} cannot be stored and was left out: ${(err as Error).message}`,
          ),
        );
        return { done: 1, leftOut: [0] };
      }
    }
    const leftOut: number[] = [];
    for (let i = 0; i < events.length; i++) {
      const one = commitSome([events[i]!]);
      if (one.storageError !== undefined) return { done: i, leftOut, storageError: one.storageError };
      if (one.leftOut.length > 0) leftOut.push(i);
    }
    return { done: events.length, leftOut };
  };

  /** The log cannot be written: refuse (see health), hold events, retry every second. */
  const fail = (reason: string): void => {
    if (failure === undefined) {
      failure = { since: new Date().toISOString(), reason };
      dropped = 0;
      written = 0;
      onError(new AuditError('LG_AUDIT_UNAVAILABLE', `audit write failed: ${reason}`));
    }
    retryTimer ??= setInterval(() => void retry(), RETRY_EVERY_MS);
  };

  /** Resolves the waiters of committed events: now, or after their fsync with fsyncEachCommit. */
  const settle = (waiters: readonly ((committed: boolean) => void)[], commit: number): void => {
    if (fsyncEachCommit && !threadDead)
      for (const resolve of waiters) durableWaiters.push({ commit, resolve });
    else for (const resolve of waiters) resolve(true);
  };

  /** The end of a turn: commits what it appended. */
  const commitQueue = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const events = queue;
    const waiters = queueWaiters;
    queue = [];
    queueWaiters = [];
    const { done, leftOut, storageError } = commitSome(events);
    for (const i of leftOut) waiters[i]!(false);
    settle(
      waiters.slice(0, done).filter((_, i) => !leftOut.includes(i)),
      commitCount,
    );
    if (storageError === undefined) return;
    // The answers go out anyway (they were already given); their events wait here, in order.
    held.push(...events.slice(done));
    for (const resolve of waiters.slice(done)) resolve(false);
    fail(failureReason(options.file, storageError));
  };

  /**
   * Writes the held events oldest first, in chunks with a turn of the loop between; the log counts as
   * writable again once they are all committed and fsynced.
   */
  async function retry(): Promise<void> {
    if (retrying || failure === undefined || dbClosed) return;
    retrying = true;
    try {
      while (held.length > 0) {
        const { done, storageError } = commitSome(held.slice(0, RETRY_CHUNK));
        held.splice(0, done);
        written += done;
        if (storageError !== undefined) return;
        await nextTurn();
        if (dbClosed) return;
      }
      if (!threadDead) await onThread('flush', {});
      clearInterval(retryTimer);
      retryTimer = undefined;
      failure = undefined;
      options.onRecovered?.(written, dropped);
    } catch {
      // The fsync failed (reported as fsync-failed): still failing, tried again at the next interval.
    } finally {
      retrying = false;
    }
  }

  const resolveDurable = (upTo: number, ok: boolean): void => {
    while (durableWaiters.length > 0 && (durableWaiters[0]!.commit <= upTo || !ok)) {
      durableWaiters.shift()!.resolve(ok);
    }
  };

  const threadGone = (err: AuditError): void => {
    if (threadDead) return;
    threadDead = true;
    if (closed) return;
    onError(err);
    // Without the thread nothing fsyncs or copies the WAL: the committing connection does both itself
    // from now on (an fsync per commit, SQLite's own WAL copy), slower but never silently less durable.
    if (!dbClosed) {
      db.pragma('synchronous = FULL');
      db.pragma('wal_autocheckpoint = 1000');
    }
    resolveDurable(Number.MAX_SAFE_INTEGER, false);
    for (const call of calls.values()) call.reject(err);
    calls.clear();
  };

  worker.on('message', (message: WalThreadReply) => {
    switch (message.type) {
      case 'durable':
        resolveDurable(message.commit, true);
        break;
      case 'fsync-failed':
        // The commits are in the WAL, not known to be on disk: their responses end now rather than hang,
        // and the log fails closed until an fsync succeeds again (see retry).
        resolveDurable(Number.MAX_SAFE_INTEGER, false);
        fail(`the audit log ${options.file} cannot be flushed to disk: ${message.message}`);
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
    // Events after the cursor are never pruned and `seq` has no gaps there: no count over the table.
    const backlog = Math.max(0, lastSeq - syncedSeq);
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

  const hashAt = db.prepare('SELECT hash FROM events WHERE seq = ?').pluck();
  const deleteEvents = db.prepare('DELETE FROM events WHERE seq <= ?');
  const deleteCheckpoints = db.prepare('DELETE FROM checkpoints WHERE seq < ? AND seq <= ?');
  const firstAtOrAfter = db.prepare('SELECT min(seq) AS n FROM events WHERE time >= ?');
  const chunkEnd = db.prepare(
    'SELECT max(seq) AS n FROM (SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)',
  );
  /** Deletes events up to `upTo` (one chunk) and records the new anchor; returns how many went. */
  const pruneChunk = db.transaction((upTo: number, keptCheckpoints: number) => {
    const anchor = hashAt.get(upTo) as string | undefined;
    if (anchor === undefined) return 0;
    const { changes } = deleteEvents.run(upTo);
    deleteCheckpoints.run(upTo, keptCheckpoints);
    setMeta.run('anchor.seq', String(upTo));
    setMeta.run('anchor.hash', anchor);
    return changes;
  });

  /**
   * Only a prefix of the chain goes, so what remains still verifies from the recorded anchor; in chunks,
   * each its own transaction that leaves a valid anchor, with a turn of the event loop between them.
   */
  const prune = async ({ before, keepUnsynced }: WriterOps['prune'][0]): Promise<WriterOps['prune'][1]> => {
    const firstYoung = firstAtOrAfter.get(before) as { n: number | null };
    let cutoff = firstYoung.n === null ? lastSeq : firstYoung.n - 1;
    if (keepUnsynced) cutoff = Math.min(cutoff, metaNumber('sync.events'));
    const keptCheckpoints = keepUnsynced ? metaNumber('sync.checkpoints') : Number.MAX_SAFE_INTEGER;
    let pruned = 0;
    for (;;) {
      const end = (chunkEnd.get(cutoff, PRUNE_CHUNK) as { n: number | null }).n;
      if (end === null) break;
      pruned += pruneChunk(end, keptCheckpoints);
      if (end >= cutoff) break;
      await nextTurn();
      if (dbClosed) break;
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

  return {
    append(event) {
      if (closed) {
        // A request that ended while the daemon stops (its error recorded after the proxy closed).
        onError(
          new AuditError('LG_AUDIT_UNAVAILABLE', `audit event ${event.id} arrived after the log closed`),
        );
        return Promise.resolve(false);
      }
      if (failure !== undefined) {
        if (held.length < MAX_HELD) held.push(event);
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
      return { writable: false, ...failure, held: held.length, dropped };
    },
    async flush() {
      if (closing !== undefined) return closing;
      if (failure === undefined) commitQueue();
      if (!threadDead) await onThread('flush', {});
    },
    close() {
      closing ??= (async () => {
        closed = true;
        clearInterval(retryTimer);
        retryTimer = undefined;
        if (failure === undefined) commitQueue();
        else await retry();
        if (failure !== undefined)
          onError(
            new AuditError(
              'LG_AUDIT_UNAVAILABLE',
              `${held.length + dropped} audit events could not be written before the daemon stopped: ${failure.reason}`,
            ),
          );
        if (!threadDead) {
          const id = nextCallId++;
          await new Promise<unknown>((resolve, reject) => {
            calls.set(id, { resolve, reject });
            worker.postMessage({ type: 'close', id } satisfies WalThreadRequest);
          }).catch((err: unknown) =>
            onError(
              err instanceof AuditError
                ? err
                : new AuditError('LG_AUDIT_UNAVAILABLE', (err as Error).message),
            ),
          );
        }
        threadDead = true;
        await worker.terminate();
        const ended = new AuditError('LG_AUDIT_UNAVAILABLE', 'audit writer is closed');
        for (const pending of calls.values()) pending.reject(ended);
        calls.clear();
        // Commits the thread did not fsync before it closed: the final close below checkpoints them.
        resolveDurable(Number.MAX_SAFE_INTEGER, true);
        db.close();
        dbClosed = true;
      })();
      return closing;
    },
  };
}
