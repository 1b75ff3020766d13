/**
 * Exports the audit log to the organisation's collector (OTLP/HTTP logs, JSON) at least once: a batch is
 * read after the persisted cursor, POSTed, and the cursor moves only after a 2xx. A crash between the
 * collector's 2xx and the cursor move resends that batch; the collector drops the duplicates by
 * `log.record.uid` (the event id). Failures back off exponentially with jitter; `Retry-After` (seconds
 * or an HTTP date, on 429/503) is honoured as given. At most one export is in flight.
 */
import { rootCertificates } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import { otlpLogsRequest, otlpLogsResponseSchema, type OtlpResource } from './otlp.js';
import type { AuditWriter } from './writer.js';

export interface AuditSyncOptions {
  readonly url: string;
  /** Sent on every export. Never logged, never in a status or error. */
  readonly headers: Readonly<Record<string, string>>;
  /** The signed-in user's token (identity, issue 5), asked for on each export; none when undefined. */
  readonly authorization?: () => Promise<string | undefined>;
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly timeoutMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly writer: AuditWriter;
  readonly resource: OtlpResource;
  /** Extra PEM roots for the collector's TLS (config `upstreamCaFile`). */
  readonly extraCaPem?: string;
  readonly log?: (line: string) => void;
  /** Tests pass a fixed one; defaults to Math.random. */
  readonly random?: () => number;
}

export interface SyncState {
  /** The collector, without query or credentials. */
  readonly url: string;
  readonly lastAttemptAt: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastResult: 'ok' | 'error' | null;
  /** Why the last export failed: an HTTP status or a network error code, never a header or body. */
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  readonly nextAttemptAt: string | null;
  /** Records the collector reported as rejected (OTLP partial success); they are not resent. */
  readonly rejected: number;
}

export interface SyncRunResult {
  readonly ok: boolean;
  readonly sent: number;
  readonly error: string | null;
}

/** Seconds or an HTTP date → milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Retry-After beyond this is treated as this, so a bad header cannot park the export for days. */
const MAX_RETRY_AFTER_MS = 3_600_000;

export class AuditSync {
  private readonly dispatcher: Dispatcher;
  private readonly publicUrl: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SyncRunResult> | undefined;
  private stopped = false;
  private kickedWhileRunning = false;
  /** Halved on 413 (the collector's request size limit), never below one event. */
  private batchSize: number;
  private state: {
    -readonly [K in keyof SyncState]: SyncState[K];
  };
  /** Sync cursor as last persisted, kept here so `status` needs no database read. */
  syncedSeq = 0;

  constructor(private readonly options: AuditSyncOptions) {
    const url = new URL(options.url);
    this.publicUrl = `${url.origin}${url.pathname}`;
    this.batchSize = options.batchSize;
    this.dispatcher = new Agent({
      connect: options.extraCaPem === undefined ? {} : { ca: [...rootCertificates, options.extraCaPem] },
    });
    this.state = {
      url: this.publicUrl,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastResult: null,
      lastError: null,
      consecutiveFailures: 0,
      nextAttemptAt: null,
      rejected: 0,
    };
  }

  async start(): Promise<void> {
    this.syncedSeq = (await this.options.writer.call('stats', {})).syncedSeq;
    this.schedule(0);
  }

  status(): SyncState {
    return { ...this.state };
  }

  /** New events were committed: send them within the interval, unless a retry is already waiting. */
  kick(): void {
    if (this.running !== undefined) {
      // The export in flight may already have read its last (empty) batch: look again after it.
      this.kickedWhileRunning = true;
      return;
    }
    if (this.timer === undefined && this.state.consecutiveFailures === 0)
      this.schedule(this.options.intervalMs);
  }

  /** Sends everything now, ignoring any backoff (`llmgate audit sync`). */
  async syncNow(): Promise<SyncRunResult> {
    // An export already in flight counts: its events were sent "now" too.
    const earlier = this.running === undefined ? undefined : await this.running.catch(() => undefined);
    clearTimeout(this.timer);
    this.timer = undefined;
    const result = await this.run();
    return { ...result, sent: result.sent + (earlier?.sent ?? 0) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.dispatcher.close();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.state.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
    this.timer.unref();
  }

  private run(): Promise<SyncRunResult> {
    this.kickedWhileRunning = false;
    const run = this.exportAll().finally(() => {
      if (this.running === run) this.running = undefined;
      if (this.kickedWhileRunning) this.kick();
    });
    this.running = run;
    return run;
  }

  /** Batches until the backlog is empty or an export fails; then schedules the next attempt. */
  private async exportAll(): Promise<SyncRunResult> {
    let sent = 0;
    for (;;) {
      if (this.stopped) return { ok: false, sent, error: 'stopped' };
      const batch = await this.options.writer.call('pending', { limit: this.batchSize });
      if (batch.events.length === 0 && batch.checkpoints.length === 0) {
        this.state.nextAttemptAt = null;
        return { ok: true, sent, error: null };
      }
      this.state.lastAttemptAt = new Date().toISOString();
      const outcome = await this.post(
        otlpLogsRequest(this.options.resource, batch.events, batch.checkpoints),
      );
      if (outcome.ok) {
        const eventSeq = batch.events.at(-1)?.seq ?? 0;
        const checkpointSeq = batch.checkpoints.at(-1)?.seq ?? 0;
        await this.options.writer.call('advance', { eventSeq, checkpointSeq });
        this.syncedSeq = Math.max(this.syncedSeq, eventSeq);
        sent += batch.events.length;
        this.state.lastSuccessAt = new Date().toISOString();
        this.state.lastResult = 'ok';
        this.state.lastError = null;
        this.state.consecutiveFailures = 0;
        this.state.rejected += outcome.rejected;
        if (outcome.rejected > 0)
          this.options.log?.(`audit sync: the collector rejected ${outcome.rejected} records`);
        continue;
      }
      if (outcome.tooLarge && batch.events.length > 1) {
        this.batchSize = Math.max(1, Math.floor(batch.events.length / 2));
        this.options.log?.(`audit sync: the collector refused the batch size; sending ${this.batchSize}`);
        continue;
      }
      this.state.lastResult = 'error';
      this.state.lastError = outcome.error;
      this.state.consecutiveFailures++;
      const backoff = this.backoffMs(this.state.consecutiveFailures);
      const delay =
        outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS) : backoff;
      this.options.log?.(`audit sync: export failed (${outcome.error}); retrying in ${Math.round(delay)} ms`);
      this.schedule(delay);
      return { ok: false, sent, error: outcome.error };
    }
  }

  /** Exponential with "equal jitter": between half and all of min·2^(n-1), capped. */
  private backoffMs(failures: number): number {
    const cap = Math.min(
      this.options.maxBackoffMs,
      this.options.minBackoffMs * 2 ** Math.min(failures - 1, 30),
    );
    return cap / 2 + ((this.options.random ?? Math.random)() * cap) / 2;
  }

  private async post(
    body: unknown,
  ): Promise<
    { ok: true; rejected: number } | { ok: false; error: string; retryAfterMs?: number; tooLarge?: boolean }
  > {
    const headers: Record<string, string> = { ...this.options.headers, 'content-type': 'application/json' };
    const token = await this.options.authorization?.();
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    try {
      const res = await request(this.options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        dispatcher: this.dispatcher,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        let parsed: unknown = {};
        try {
          parsed = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
          // A 2xx with a body that is not JSON (some proxies) still means accepted.
        }
        const response = otlpLogsResponseSchema.safeParse(parsed);
        const rejected = response.success ? Number(response.data.partialSuccess?.rejectedLogRecords ?? 0) : 0;
        return { ok: true, rejected: Number.isFinite(rejected) ? rejected : 0 };
      }
      return {
        ok: false,
        error: `HTTP ${res.statusCode}`,
        tooLarge: res.statusCode === 413,
        retryAfterMs:
          res.statusCode === 429 || res.statusCode === 503
            ? retryAfterMs(res.headers['retry-after'], Date.now())
            : undefined,
      };
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as Error).name;
      return { ok: false, error: code };
    }
  }
}
