/**
 * The audit writer's operations and the messages between the daemon's thread, which commits events
 * (writer.ts), and the WAL thread, which does the slow file work: fsyncs, WAL checkpoints and the sync's
 * reads (wal-thread.ts).
 */

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
  /** fsyncs the WAL now. */
  flush: [Record<string, never>, null];
  stats: [Record<string, never>, WriterStats];
  pending: [{ limit: number }, PendingBatch];
  /** Moves the sync cursors forward (never back). */
  advance: [{ eventSeq: number; checkpointSeq: number }, null];
  checkpoint: [{ seq: number; hash: string; time: string; jws: string }, null];
  /** Deletes events older than `before`; with `keepUnsynced`, never one after the sync cursor. */
  prune: [{ before: string; keepUnsynced: boolean }, { pruned: number }];
}
export type WriterOpName = keyof WriterOps;

/** The operations the WAL thread runs; the others run on the daemon's thread. */
export type WalThreadOpName = 'flush' | 'pending';

export type WalThreadRequest =
  /**
   * Commit number `commit` is in the WAL: fsync at once with `now` (fsyncEachCommit), else within the
   * window (announced only when no fsync was armed, see wal-thread.ts).
   */
  | { type: 'committed'; commit: number; now: boolean }
  | { [K in WalThreadOpName]: { type: 'call'; id: number; op: K; args: WriterOps[K][0] } }[WalThreadOpName]
  | { type: 'close'; id: number };

export type WalThreadReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  /** Every commit up to `commit` is fsynced. */
  | { type: 'durable'; commit: number }
  /** A WAL fsync failed: committed events may not survive a power cut. */
  | { type: 'fsync-failed'; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; message: string };
