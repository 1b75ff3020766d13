/**
 * The audit writer's thread: owns the SQLite connection and inserts batches in one transaction each, so
 * SQLite's cost (about 20 µs an event) never lands on the proxy's event loop. Messages are handled in
 * order, so `flush` and `close` answer only after every earlier batch is committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './store.js';
import type { WriterReply, WriterRequest } from './writer.js';

const port = parentPort!;
const reply = (message: WriterReply): void => port.postMessage(message);

try {
  const db = openDatabase((workerData as { file: string }).file, false);
  const insert = db.prepare(
    'INSERT INTO events (id, time, event, prev_hash, hash) VALUES (?, ?, ?, NULL, NULL)',
  );
  const insertBatch = db.transaction((rows: readonly (readonly [string, string, string])[]) => {
    for (const [id, time, event] of rows) insert.run(id, time, event);
  });
  port.on('message', (message: WriterRequest) => {
    switch (message.type) {
      case 'append':
        try {
          insertBatch(message.rows);
        } catch (err) {
          reply({ type: 'error', message: `audit write failed: ${(err as Error).message}` });
        }
        break;
      case 'flush':
        reply({ type: 'done', id: message.id });
        break;
      case 'close':
        db.close();
        reply({ type: 'done', id: message.id });
        port.close();
        break;
    }
  });
  reply({ type: 'ready' });
} catch (err) {
  reply({ type: 'failed', message: (err as Error).message });
}
