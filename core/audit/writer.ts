/**
 * Appends audit events from the proxy's thread: each event is serialised once, queued, and handed to
 * the writer thread in batches. Issue 7 moves durability forward (an event
 * committed before its response finishes) on top of the same thread.
 */
import { Worker } from 'node:worker_threads';
import { AuditError } from '../errors.js';
import type { AuditEvent, AuditEventInput } from './event.js';

/**
 * Batches go to the thread at most every 20 ms (or every 256 events): waking a thread per request would
 * cost more than the write it saves.
 */
const BATCH_DELAY_MS = 20;
const MAX_BATCH = 256;

export type WriterRequest =
  | { type: 'append'; rows: (readonly [id: string, time: string, event: string])[] }
  | { type: 'flush'; id: number }
  | { type: 'close'; id: number };

export type WriterReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'done'; id: number }
  | { type: 'error'; message: string };

export interface AuditWriter {
  append(event: AuditEventInput): void;
  /** Resolves once everything appended so far is committed. */
  flush(): Promise<void>;
  /** Flushes, closes the database and ends the thread. */
  close(): Promise<void>;
}

/**
 * Starts the writer thread: from compiled JavaScript normally; under the tests, which run the TypeScript
 * sources, through tsx's loader registered inside the thread first.
 */
function startThread(file: string): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./writer-thread.js', import.meta.url), { workerData: { file } });
  }
  const source = new URL('./writer-thread.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: { file } });
}

export async function openAuditWriter(
  file: string,
  onError: (err: Error) => void = () => {},
): Promise<AuditWriter> {
  const worker = startThread(file);
  const waiting = new Map<number, () => void>();
  let nextId = 1;

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
  worker.on('message', (message: WriterReply) => {
    if (message.type === 'done') {
      waiting.get(message.id)?.();
      waiting.delete(message.id);
    } else if (message.type === 'error') {
      onError(new AuditError('LG_AUDIT_UNAVAILABLE', message.message));
    }
  });
  worker.on('error', (err) =>
    onError(new AuditError('LG_AUDIT_UNAVAILABLE', `audit writer: ${err.message}`, { cause: err })),
  );

  let rows: (readonly [string, string, string])[] = [];
  let scheduled = false;
  let timer: NodeJS.Timeout | undefined;
  const post = (): void => {
    scheduled = false;
    clearTimeout(timer);
    if (rows.length === 0) return;
    worker.postMessage({ type: 'append', rows } satisfies WriterRequest);
    rows = [];
  };
  const roundTrip = (type: 'flush' | 'close'): Promise<void> => {
    post();
    const id = nextId++;
    return new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ type, id } satisfies WriterRequest);
    });
  };
  let closing: Promise<void> | undefined;

  return {
    append(event) {
      const row: AuditEvent = { ...event, prevHash: null, hash: null };
      rows.push([event.id, event.time, JSON.stringify(row)]);
      if (rows.length >= MAX_BATCH) {
        post();
      } else if (!scheduled) {
        scheduled = true;
        timer = setTimeout(post, BATCH_DELAY_MS);
      }
    },
    flush: () => roundTrip('flush'),
    close() {
      closing ??= roundTrip('close').then(async () => {
        await worker.terminate();
      });
      return closing;
    },
  };
}
