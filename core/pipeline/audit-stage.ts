/**
 * Outermost stage: once an exchange has ended (response or error), records exactly one audit event and
 * updates the counters. Sees refusals too, because refusals are answered by inner stages.
 */
import { performance } from 'node:perf_hooks';
import type { AuditEventInput } from '../audit/index.js';
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
  /** Called once per exchange with the event to store. */
  record(event: AuditEventInput, exchange: Exchange): void;
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
  };
}

class AuditHandler extends PassThroughHandler {
  private done = false;
  constructor(
    inner: ResponseHandler,
    private readonly exchange: Exchange,
    private readonly finish: (exchange: Exchange) => void,
  ) {
    super(inner);
  }
  override onResponseEnd(controller: StreamController): void {
    super.onResponseEnd(controller);
    this.end();
  }
  override onResponseError(controller: StreamController | undefined, error: Error): void {
    super.onResponseError(controller, error);
    // Inner handlers name the failure (client gone, upstream failed); anything else is upstream's.
    this.exchange.errorCode ??= 'LG_PROXY_UPSTREAM_FAILED';
    this.end();
  }
  private end(): void {
    if (this.done) return;
    this.done = true;
    const { exchange } = this;
    exchange.finishedAt = performance.now();
    // Recorded after the response has gone out (the write happens when this tick ends), so bookkeeping
    // never delays the client.
    if (exchange.settled.length === 0) setImmediate(this.finish, exchange);
    else void Promise.allSettled(exchange.settled).then(() => this.finish(exchange));
  }
}

export function auditStage(identity: Identity, observer: ExchangeObserver): Stage {
  const finish = (exchange: Exchange): void => observer.record(auditEventOf(exchange, identity), exchange);
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    next(exchange, new AuditHandler(handler, exchange, finish));
  };
}
