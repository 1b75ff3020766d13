/**
 * The audit log as the daemon runs it: the writer (chain + durable commits, fail closed), signed checkpoints,
 * the export to the collector and retention, behind one small surface.
 */
import { AuditError } from '../errors.js';
import type { AuditEventInput } from './event.js';
import type { CheckpointSigner } from './signer.js';
import { AuditSync, type AuditSyncOptions, type SyncRunResult, type SyncState } from './sync.js';
import type { CheckpointPayload } from './verify.js';
import { openAuditWriter, type AuditHealth, type AuditWriter } from './writer.js';

export interface AuditLogOptions {
  readonly file: string;
  readonly device: string;
  readonly serviceVersion: string;
  readonly signer: CheckpointSigner;
  readonly checkpoint: { readonly everyEvents: number; readonly everySeconds: number };
  readonly retentionDays: number;
  /** See AuditWriterOptions.fsyncEachCommit. */
  readonly fsyncEachCommit?: boolean;
  /** Without it, nothing leaves the machine and retention ignores sync. */
  readonly sink?: Omit<AuditSyncOptions, 'writer' | 'resource' | 'log'> & { readonly maxBacklog: number };
  readonly log?: (line: string) => void;
}

export interface AuditLogStatus {
  /** Events recorded since the daemon started. */
  readonly events: number;
  /** Events not yet accepted by the collector (0 without a sink). */
  readonly backlog: number;
  /** Newest event `seq` and newest signed checkpoint `seq`. */
  readonly lastSeq: number;
  readonly checkpointSeq: number;
  readonly writeErrors: number;
  /** While events cannot be written (requests are refused meanwhile): since when, why, what is held. */
  readonly failure: { since: string; reason: string; held: number; dropped: number } | null;
  readonly sync: SyncState | null;
  /** Things a person should act on, one sentence each. */
  readonly warnings: string[];
}

export interface AuditLog {
  /** Settles when the event is committed (or failed to be, counted in `writeErrors`); never rejects. */
  append(event: AuditEventInput): Promise<boolean>;
  /** Whether events can be written now (the daemon refuses requests while they cannot). */
  health(): AuditHealth;
  status(): AuditLogStatus;
  /** `llmgate audit sync`: export everything now. */
  syncNow(): Promise<SyncRunResult & { backlog: number }>;
  close(): Promise<void>;
}

const PRUNE_EVERY_MS = 3_600_000;

export async function startAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const log = options.log ?? (() => {});
  let events = 0;
  let writeErrors = 0;
  let lastSeq = 0;
  let lastHash: string | null = null;
  let checkpointSeq = 0;
  let checkpointing: Promise<void> | undefined;
  let sync: AuditSync | undefined;

  const checkpoint = (): Promise<void> => {
    if (checkpointing !== undefined || lastSeq <= checkpointSeq || lastHash === null)
      return checkpointing ?? Promise.resolve();
    const payload: CheckpointPayload = {
      typ: 'llmgate.audit.checkpoint',
      v: 1,
      device: options.device,
      seq: lastSeq,
      hash: lastHash,
      time: new Date().toISOString(),
    };
    checkpointing = (async () => {
      try {
        const jws = await options.signer.sign(new TextEncoder().encode(JSON.stringify(payload)));
        await writer.call('checkpoint', { seq: payload.seq, hash: payload.hash, time: payload.time, jws });
        checkpointSeq = payload.seq;
        sync?.kick();
      } catch (err) {
        log(`audit: checkpoint failed: ${(err as Error).message}`);
      } finally {
        checkpointing = undefined;
      }
      // Events committed while signing may already call for the next checkpoint.
      if (lastSeq - checkpointSeq >= options.checkpoint.everyEvents) void checkpoint();
    })();
    return checkpointing;
  };

  /** A checkpoint over the current head: one may be in flight for an older head, so at most twice. */
  const checkpointHead = async (): Promise<void> => {
    for (let i = 0; i < 2 && lastSeq > checkpointSeq; i++) await checkpoint();
  };

  const writer: AuditWriter = await openAuditWriter({
    file: options.file,
    fsyncEachCommit: options.fsyncEachCommit,
    onError: (err: AuditError) => {
      writeErrors++;
      log(`audit: ${err.message}`);
    },
    onRecovered: (written, dropped) =>
      log(
        `audit: the log is writable again; wrote ${written} held events${dropped > 0 ? `, ${dropped} did not fit in memory and are lost` : ''}`,
      ),
    onCommit: (seq, hash) => {
      lastSeq = seq;
      lastHash = hash;
      if (seq - checkpointSeq >= options.checkpoint.everyEvents) void checkpoint();
      sync?.kick();
    },
  });
  const stats = await writer.call('stats', {});
  ({ lastSeq, lastHash, lastCheckpointSeq: checkpointSeq } = stats);

  const checkpointTimer = setInterval(() => void checkpoint(), options.checkpoint.everySeconds * 1000);
  checkpointTimer.unref();

  const prune = async (): Promise<void> => {
    const before = new Date(Date.now() - options.retentionDays * 86_400_000).toISOString();
    try {
      const { pruned } = await writer.call('prune', { before, keepUnsynced: options.sink !== undefined });
      if (pruned > 0) log(`audit: pruned ${pruned} events older than ${options.retentionDays} days`);
    } catch (err) {
      log(`audit: prune failed: ${(err as Error).message}`);
    }
  };
  await prune();
  const pruneTimer = setInterval(() => void prune(), PRUNE_EVERY_MS);
  pruneTimer.unref();

  if (options.sink !== undefined) {
    sync = new AuditSync({
      ...options.sink,
      writer,
      resource: {
        serviceVersion: options.serviceVersion,
        device: options.device,
        deviceKey: options.signer.thumbprint,
      },
      log,
    });
    await sync.start();
  }
  const backlog = (): number => (sync === undefined ? 0 : Math.max(0, lastSeq - sync.syncedSeq));

  return {
    append(event) {
      events++;
      return writer.append(event);
    },
    health: () => writer.health(),
    status() {
      const warnings: string[] = [];
      const health = writer.health();
      if (!health.writable)
        warnings.push(
          `requests are refused since ${health.since}: ${health.reason}; ${health.held} events are held in memory until it can be written${health.dropped > 0 ? `, ${health.dropped} were lost` : ''}`,
        );
      const pending = backlog();
      if (options.sink !== undefined && pending > options.sink.maxBacklog)
        warnings.push(
          `audit backlog of ${pending} events exceeds ${options.sink.maxBacklog}: the collector has not accepted events since ${sync?.status().lastSuccessAt ?? 'this daemon started'}`,
        );
      if (writeErrors > 0) warnings.push(`${writeErrors} audit writes failed: see the daemon log`);
      return {
        events,
        backlog: pending,
        lastSeq,
        checkpointSeq,
        writeErrors,
        failure: health.writable
          ? null
          : { since: health.since, reason: health.reason, held: health.held, dropped: health.dropped },
        sync: sync?.status() ?? null,
        warnings,
      };
    },
    async syncNow() {
      if (sync === undefined) {
        throw new AuditError(
          'LG_AUDIT_SYNC_NOT_CONFIGURED',
          'no audit sink is configured (config audit.sink.url)',
        );
      }
      await writer.flush();
      await checkpointHead();
      const result = await sync.syncNow();
      return { ...result, backlog: backlog() };
    },
    async close() {
      clearInterval(checkpointTimer);
      clearInterval(pruneTimer);
      await sync?.stop();
      await writer.flush().catch(() => undefined);
      await checkpointHead();
      await writer.close();
    },
  };
}
