/**
 * Outermost stage: once an exchange has ended (response or error), records exactly one audit event and
 * updates the counters. Sees refusals too, because refusals are answered by inner stages.
 *
 * An answered request has its event committed before the client sees the end of the response (issue 7):
 * the end (the chunked terminator, or the last body chunk when the length was declared, since that chunk
 * completes the response for the client) is held until the audit writer acknowledges the commit. Every
 * earlier byte, including each streamed event, goes out at once; the event loop never blocks.
 */
import { performance } from 'node:perf_hooks';
import type { AuditEventInput } from '../audit/index.js';
import { refuse, type RefusalReason } from './refuse.js';
import {
  PassThroughHandler,
  type Dispatch,
  type Exchange,
  type ResponseHandler,
  type Stage,
  type StreamController,
} from './types.js';

export interface Identity {
  readonly user: string | null;
  readonly device: string;
}

export interface ExchangeObserver {
  /**
   * Called once per exchange with the event to store; the promise settles when the event is committed
   * (or could not be, which the observer reports itself). It must not reject.
   */
  record(event: AuditEventInput, exchange: Exchange): Promise<unknown> | void;
  /**
   * Why no request may go now, or undefined. While the log cannot record them, requests are refused
   * (fail closed: nothing leaves the machine unrecorded); their refusals are still recorded.
   */
  unavailable?(): RefusalReason | undefined;
}

/** The refusal while the audit log cannot be written; `reason` says what failed, in one clause. */
export function auditUnavailable(reason: string): RefusalReason {
  return {
    status: 503,
    rule: 'audit-unavailable',
    code: 'LG_AUDIT_UNAVAILABLE',
    reason: `llmgate refuses requests while it cannot record them in its audit log: ${reason}.`,
    fix: 'Free space on that disk (or fix the error the daemon log names). llmgate retries every second and lets requests through as soon as the log can be written; `llmgate status` shows the state.',
  };
}

export function auditEventOf(exchange: Exchange, identity: Identity): AuditEventInput {
  const query = exchange.url.indexOf('?');
  return {
    id: exchange.id,
    time: exchange.time.toISOString(),
    user: identity.user,
    device: identity.device,
    host: exchange.target.host,
    provider: exchange.match?.provider ?? null,
    method: exchange.method,
    path: query === -1 ? exchange.url : exchange.url.slice(0, query),
    model: exchange.responseModel ?? exchange.facts.model ?? null,
    stream: exchange.facts.stream,
    decision: exchange.decision,
    rules: [...exchange.rules].sort(),
    redactions: exchange.redactions,
    status: exchange.status ?? null,
    error: exchange.errorCode ?? null,
    latencyMs: Math.round(((exchange.finishedAt ?? performance.now()) - exchange.startedAt) * 1000) / 1000,
    bytes: { request: exchange.requestBytes, response: exchange.responseBytes },
    usage: exchange.usage ?? null,
    ...(exchange.tools !== undefined && exchange.tools.length > 0 ? { tools: [...exchange.tools] } : {}),
    ...(exchange.mcp === true ? { mcp: true } : {}),
  };
}

class AuditHandler extends PassThroughHandler {
  private done = false;
  /** Body bytes still expected when the response declared its length. */
  private remaining: number | undefined;
  /** The chunk that completes a declared-length body, held until the event is committed. */
  private held: Buffer | undefined;
  constructor(
    inner: ResponseHandler,
    private readonly exchange: Exchange,
    private readonly finish: (exchange: Exchange) => Promise<unknown> | void,
  ) {
    super(inner);
  }
  override onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void {
    const length = headers['content-length'];
    if (typeof length === 'string' && /^\d+$/.test(length)) this.remaining = Number(length);
    super.onResponseStart(controller, status, headers);
  }
  override onResponseData(controller: StreamController, chunk: Buffer): void {
    if (this.remaining !== undefined) {
      this.remaining -= chunk.length;
      if (this.remaining <= 0) {
        this.held = this.held === undefined ? chunk : Buffer.concat([this.held, chunk]);
        return;
      }
    }
    super.onResponseData(controller, chunk);
  }
  override onResponseEnd(controller: StreamController): void {
    if (this.done) return;
    this.done = true;
    const { exchange } = this;
    exchange.finishedAt = performance.now();
    void this.record().then(() => {
      if (this.held !== undefined) super.onResponseData(controller, this.held);
      this.held = undefined;
      super.onResponseEnd(controller);
    });
  }
  override onResponseError(controller: StreamController | undefined, error: Error): void {
    // A held chunk is dropped: the response failed, so the client must not see it as complete.
    this.held = undefined;
    super.onResponseError(controller, error);
    if (this.done) return;
    this.done = true;
    // Inner handlers name the failure (client gone, upstream failed); anything else is upstream's.
    this.exchange.errorCode ??= 'LG_PROXY_UPSTREAM_FAILED';
    this.exchange.finishedAt = performance.now();
    // The client already has its error (or is gone): record without holding anything back.
    void this.record();
  }
  private async record(): Promise<void> {
    const { exchange } = this;
    // Side work (a decompressor reading usage) must settle first; it never fails the exchange.
    if (exchange.settled.length > 0) await Promise.allSettled(exchange.settled);
    await this.finish(exchange);
  }
}

export function auditStage(identity: Identity, observer: ExchangeObserver): Stage {
  const finish = (exchange: Exchange): Promise<unknown> | void =>
    observer.record(auditEventOf(exchange, identity), exchange);
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    const audited = new AuditHandler(handler, exchange, finish);
    const refusal = observer.unavailable?.();
    if (refusal !== undefined) refuse(exchange, audited, refusal);
    else next(exchange, audited);
  };
}
