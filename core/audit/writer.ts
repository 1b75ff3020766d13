/**
 * Appends audit events from the proxy's thread and hands them to the writer thread with group commit:
 * while one batch is being committed, new events queue up and go as the next batch the moment the
 * commit is acknowledged. An idle daemon commits an event at once (no timer to wait for); a busy one
 * pays one fsync per batch, not per event. `append` resolves when the event's batch is committed, so
 * the proxy can finish a response only after its event is on disk, without blocking the event loop.
 */
import { Worker } from 'node:worker_threads';
import { AuditError } from '../errors.js';
import type { AuditEventInput } from './event.js';
import type { WriterOpName, WriterOps, WriterReply, WriterRequest } from './protocol.js';

export interface AuditWriterOptions {
  readonly file: string;
  /**
   * Acknowledge a batch only after its fsync (power-cut durable per response, about 0.75 ms more per
   * request here); by default it is acknowledged once written and fsynced within 50 ms.
   */
  readonly fsyncEachCommit?: boolean;
  /** Write failures and a dead thread; appends still resolve, so no response waits forever. */
  readonly onError?: (err: AuditError) => void;
  /** After each commit, with the chain's new head. */
  readonly onCommit?: (lastSeq: number, lastHash: string) => void;
}

export interface AuditWriter {
  /** Resolves true once the event is committed, false when it could not be written (see onError). */
  append(event: AuditEventInput): Promise<boolean>;
  /** Runs one operation on the writer thread (sync reads, cursor moves, checkpoints, pruning). */
  call<K extends WriterOpName>(op: K, args: WriterOps[K][0]): Promise<WriterOps[K][1]>;
  /** Resolves once everything appended so far is committed. */
  flush(): Promise<void>;
  /** Flushes, closes the database and ends the thread. */
  close(): Promise<void>;
}

/**
 * Starts the writer thread: from compiled JavaScript normally; under the tests, which run the TypeScript
 * sources, through tsx's loader registered inside the thread first.
 */
function startThread(workerData: { file: string; fsyncEachCommit: boolean }): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./writer-thread.js', import.meta.url), { workerData });
  }
  const source = new URL('./writer-thread.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

interface Batch {
  readonly id: number;
  readonly done: Promise<boolean>;
  readonly resolve: (committed: boolean) => void;
}

function newBatch(id: number): Batch {
  let resolve!: (committed: boolean) => void;
  const done = new Promise<boolean>((r) => (resolve = r));
  return { id, done, resolve };
}

export async function openAuditWriter(options: AuditWriterOptions): Promise<AuditWriter> {
  const onError = options.onError ?? (() => {});
  const worker = startThread({ file: options.file, fsyncEachCommit: options.fsyncEachCommit ?? false });
  const calls = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  const inFlight = new Map<number, Batch>();
  let nextId = 1;
  let dead = false;

  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: WriterReply): void => {
      if (message.type === 'ready') {
        worker.off('message', onMessage);
        resolve();
      } else if (message.type === 'failed') {
        void worker.terminate();
        reject(new AuditError('LG_AUDIT_UNAVAILABLE', message.message));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', (err) =>
      reject(
        new AuditError('LG_AUDIT_UNAVAILABLE', `audit writer failed to start: ${err.message}`, {
          cause: err,
        }),
      ),
    );
  });

  let queue: AuditEventInput[] = [];
  let open: Batch | undefined;
  let sending = false;
  let scheduled = false;
  const send = (): void => {
    scheduled = false;
    if (sending || open === undefined || dead) return;
    sending = true;
    inFlight.set(open.id, open);
    worker.postMessage({ type: 'append', batch: open.id, events: queue } satisfies WriterRequest);
    queue = [];
    open = undefined;
  };
  const die = (err: AuditError): void => {
    if (dead) return;
    dead = true;
    onError(err);
    for (const batch of inFlight.values()) batch.resolve(false);
    inFlight.clear();
    open?.resolve(false);
    open = undefined;
    queue = [];
    for (const call of calls.values()) call.reject(err);
    calls.clear();
  };

  worker.on('message', (message: WriterReply) => {
    switch (message.type) {
      case 'committed':
      case 'append-failed': {
        sending = false;
        const batch = inFlight.get(message.batch);
        inFlight.delete(message.batch);
        if (message.type === 'committed') {
          batch?.resolve(true);
          options.onCommit?.(message.lastSeq, message.lastHash);
        } else {
          batch?.resolve(false);
          onError(new AuditError('LG_AUDIT_UNAVAILABLE', `audit write failed: ${message.message}`));
        }
        send();
        break;
      }
      case 'result': {
        const call = calls.get(message.id);
        calls.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else call?.reject(new AuditError('LG_AUDIT_UNAVAILABLE', message.message));
        break;
      }
      case 'fsync-failed':
        onError(new AuditError('LG_AUDIT_UNAVAILABLE', `audit log fsync failed: ${message.message}`));
        break;
      default:
        break;
    }
  });
  worker.on('error', (err) =>
    die(new AuditError('LG_AUDIT_UNAVAILABLE', `audit writer: ${err.message}`, { cause: err })),
  );
  worker.on('exit', () => die(new AuditError('LG_AUDIT_UNAVAILABLE', 'audit writer thread ended')));

  const call = <K extends WriterOpName>(op: K, args: WriterOps[K][0]): Promise<WriterOps[K][1]> => {
    if (dead) return Promise.reject(new AuditError('LG_AUDIT_UNAVAILABLE', 'audit writer is closed'));
    const id = nextId++;
    return new Promise<WriterOps[K][1]>((resolve, reject) => {
      calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ type: 'call', id, op, args } as WriterRequest);
    });
  };
  /** Everything appended so far, committed (or failed). */
  const drain = async (): Promise<void> => {
    const pending = [...inFlight.values(), ...(open ? [open] : [])].map((b) => b.done);
    send();
    await Promise.all(pending);
  };
  let closing: Promise<void> | undefined;

  return {
    append(event) {
      if (dead) return Promise.resolve(false);
      open ??= newBatch(nextId++);
      queue.push(event);
      // Events of the same tick go in one batch; later ones wait for the batch in flight. A microtask,
      // not setImmediate: the response waits for this commit, so a loop turn would be latency.
      if (!sending && !scheduled) {
        scheduled = true;
        queueMicrotask(send);
      }
      return open.done;
    },
    call,
    async flush() {
      await drain();
      await call('flush', {});
    },
    close() {
      closing ??= (async () => {
        await drain();
        if (!dead) await call('close', {});
        dead = true;
        await worker.terminate();
      })();
      return closing;
    },
  };
}
