/**
 * Keeps the daemon running while the tray app runs: asks the control API, starts `llmgate start` when it
 * does not answer, and backs off when starting keeps failing (a broken config would otherwise respawn it in
 * a loop). Quitting the tray leaves the daemon running: terminals rely on it too.
 */
import type { ControlClient, StatusReply } from '../../core/control/index.js';
import { LlmgateError } from '../../core/errors.js';

export interface SupervisorOptions {
  readonly client: Pick<ControlClient, 'status'>;
  /** Starts the daemon (`llmgate start`, which returns once it is up) and resolves, or rejects with why not. */
  readonly startDaemon: () => Promise<void>;
  readonly now?: () => number;
  /** First wait after a failed start; doubles up to `maxBackoffMs`. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export type SupervisedState =
  | { readonly running: true; readonly status: StatusReply }
  | { readonly running: false; readonly reason: string; readonly retryAt: number | undefined };

export class DaemonSupervisor {
  private failures = 0;
  private retryAt: number | undefined;
  private lastError = '';
  private starting: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: SupervisorOptions) {
    this.now = options.now ?? Date.now;
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
  }

  /**
   * One supervision step, called on a timer and whenever the user acts: the daemon's status, starting it when
   * it is down and no back-off is pending. Never rejects: a failure is a state the tray shows.
   */
  async check(): Promise<SupervisedState> {
    const status = await this.status();
    if (status !== undefined) {
      this.failures = 0;
      this.retryAt = undefined;
      return { running: true, status };
    }
    if (this.retryAt !== undefined && this.now() < this.retryAt) {
      return { running: false, reason: this.lastError, retryAt: this.retryAt };
    }
    try {
      this.starting ??= this.options.startDaemon();
      await this.starting;
    } catch (err) {
      this.failures++;
      this.lastError = `llmgate could not start: ${(err as Error).message}`;
      this.retryAt =
        this.now() + Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (this.failures - 1));
      return { running: false, reason: this.lastError, retryAt: this.retryAt };
    } finally {
      this.starting = undefined;
    }
    const started = await this.status();
    if (started !== undefined) {
      this.failures = 0;
      this.retryAt = undefined;
      return { running: true, status: started };
    }
    return { running: false, reason: 'llmgate started but does not answer yet.', retryAt: undefined };
  }

  private async status(): Promise<StatusReply | undefined> {
    try {
      return await this.options.client.status();
    } catch (err) {
      if (LlmgateError.is(err) && err.code === 'LG_CONTROL_DAEMON_DOWN') return undefined;
      this.lastError = (err as Error).message;
      return undefined;
    }
  }
}
