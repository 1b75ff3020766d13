import { refusalResponse } from '../providers/index.js';
import type { Exchange, ResponseHandler, StreamController } from './types.js';

export interface RefusalReason {
  readonly status: number;
  readonly rule: string;
  readonly code: string;
  readonly reason: string;
  readonly fix: string;
}

const inertController: StreamController = { pause() {}, resume() {}, abort() {} };

/**
 * Answers the client in the provider's own error shape (so its SDK shows the message) with llmgate's rule
 * id, reason, fix and request id. Never echoes request content.
 */
export function refuse(exchange: Exchange, handler: ResponseHandler, refusal: RefusalReason): void {
  exchange.decision = 'block';
  exchange.rules.add(refusal.rule);
  exchange.errorCode = refusal.code;
  exchange.status = refusal.status;
  const response = refusalResponse(
    exchange.match?.provider,
    { ...refusal, requestId: exchange.id },
    exchange.match?.api,
  );
  const body = Buffer.from(response.body, 'utf8');
  handler.onResponseStart(inertController, response.status, {
    ...response.headers,
    'content-length': String(body.length),
  });
  handler.onResponseData(inertController, body);
  handler.onResponseEnd(inertController);
}
