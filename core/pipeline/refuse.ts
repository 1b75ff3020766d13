import { refusalResponse } from '../providers/index.js';
import type { Exchange, ResponseHandler, StreamController } from './types.js';

export interface RefusalReason {
  readonly status: number;
  readonly rule: string;
  readonly code: string;
  readonly reason: string;
  readonly fix: string;
}

export interface RefusalMessage {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const inertController: StreamController = { pause() {}, resume() {}, abort() {} };

/**
 * The response for a request llmgate does not complete: the provider's own error shape (so its SDK shows
 * the message) with llmgate's rule id, reason, fix and request id. Never echoes request content. Records
 * the rule, code and status on the exchange.
 */
export function refusalMessage(exchange: Exchange, refusal: RefusalReason): RefusalMessage {
  exchange.rules.add(refusal.rule);
  exchange.errorCode = refusal.code;
  exchange.status = refusal.status;
  const response = refusalResponse(
    exchange.match?.provider,
    { ...refusal, requestId: exchange.id },
    exchange.match?.api,
  );
  const body = Buffer.from(response.body, 'utf8');
  return {
    status: response.status,
    headers: { ...response.headers, 'content-length': String(body.length) },
    body,
  };
}

/** Refuses the request: answers through the handler chain, so the audit stage records a `block`. */
export function refuse(exchange: Exchange, handler: ResponseHandler, refusal: RefusalReason): void {
  exchange.decision = 'block';
  const message = refusalMessage(exchange, refusal);
  handler.onResponseStart(inertController, message.status, message.headers);
  handler.onResponseData(inertController, message.body);
  handler.onResponseEnd(inertController);
}
