/**
 * Messages between the daemon's thread and the audit writer thread. Every SQLite access of a running
 * daemon goes through that thread (writes, the sync reads, pruning), so none of it lands on the proxy's
 * event loop.
 */
import type { AuditEventInput } from './event.js';

export interface WriterStats {
  /** Newest `seq` (0 when empty) and its hash. */
  readonly lastSeq: number;
  readonly lastHash: string | null;
  /** `seq` of the newest checkpoint, 0 when none. */
  readonly lastCheckpointSeq: number;
  /** Events after the sync cursor. */
  readonly backlog: number;
  /** The sync cursor: every event up to this `seq` was accepted by the collector. */
  readonly syncedSeq: number;
}

export interface PendingBatch {
  readonly events: { seq: number; event: string }[];
  readonly checkpoints: { seq: number; hash: string; time: string; jws: string }[];
}

/** Operation name → [arguments, result]. */
export interface WriterOps {
  flush: [Record<string, never>, null];
  stats: [Record<string, never>, WriterStats];
  pending: [{ limit: number }, PendingBatch];
  /** Moves the sync cursors forward (never back). */
  advance: [{ eventSeq: number; checkpointSeq: number }, null];
  checkpoint: [{ seq: number; hash: string; time: string; jws: string }, null];
  /** Deletes events older than `before`; with `keepUnsynced`, never one after the sync cursor. */
  prune: [{ before: string; keepUnsynced: boolean }, { pruned: number }];
  close: [Record<string, never>, null];
}
export type WriterOpName = keyof WriterOps;

export type WriterRequest =
  | { type: 'append'; batch: number; events: AuditEventInput[] }
  | { [K in WriterOpName]: { type: 'call'; id: number; op: K; args: WriterOps[K][0] } }[WriterOpName];

export type WriterReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'committed'; batch: number; lastSeq: number; lastHash: string }
  | { type: 'append-failed'; batch: number; message: string }
  /** A deferred WAL fsync failed: committed events may not survive a power cut. */
  | { type: 'fsync-failed'; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; message: string };
