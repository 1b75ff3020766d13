import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderMatch, RequestFacts, TokenUsage } from '../providers/index.js';

export type Decision = 'allow' | 'redact' | 'block';

/** How the request reached llmgate. */
export type CaptureMode = 'intercept' | 'base-url' | 'http-proxy';

export interface Target {
  readonly protocol: 'https:' | 'http:';
  /** The provider host the client asked for (lowercase, no port). */
  readonly host: string;
  readonly port: number;
}

/**
 * One request/response through llmgate. Created by the proxy edge, filled in by the stages, read by the
 * audit stage once at the end. Holds no prompt text beyond `body`, which is never logged or stored.
 */
export interface Exchange {
  readonly id: string;
  readonly time: Date;
  /** `performance.now()` when the request head arrived. */
  readonly startedAt: number;
  /** `performance.now()` when the response ended (or failed). */
  finishedAt: number | undefined;
  readonly mode: CaptureMode;
  readonly target: Target;
  readonly method: string;
  /** Path and query as sent upstream. */
  readonly url: string;
  /** The client's request headers; the upstream stage drops hop-by-hop and proxy headers when sending. */
  headers: IncomingHttpHeaders;
  /** The request body as it will be forwarded (after scanning and any rewrite). */
  body: Buffer;
  /** Bytes received from the client, before decoding. */
  requestBytes: number;
  /**
   * The request text as scanned and forwarded: decoded, with every redaction applied. Set only once the
   * scan let the request through, so it never holds a value the detectors refused or were not shown.
   */
  scannedText?: Buffer;
  readonly match: ProviderMatch | undefined;
  facts: RequestFacts;
  decision: Decision;
  /** Rule ids that decided anything (redactions and refusals). */
  readonly rules: Set<string>;
  /** Redaction count per rule id. */
  readonly redactions: Record<string, number>;
  status: number | undefined;
  responseBytes: number;
  usage: TokenUsage | undefined;
  responseModel: string | undefined;
  /** Stable code when the exchange ended in an error or refusal. */
  errorCode: string | undefined;
  /** Origin the policy routes this request to (set by the policy stage), instead of config's route. */
  upstreamOrigin?: string;
  /** Tool names the request declares or calls (MCP `tools/call` included), when the policy stage read them. */
  tools?: readonly string[];
  /** The request is an MCP JSON-RPC message (set by the policy stage). */
  mcp?: boolean;
  /** Work that must finish before the exchange is recorded (e.g. a side decompressor). */
  readonly settled: Promise<unknown>[];
}

/** What the edge knows of a request when its exchange begins; the rest starts empty. */
export type ExchangeRequest = Pick<
  Exchange,
  'id' | 'time' | 'startedAt' | 'mode' | 'target' | 'method' | 'url' | 'headers' | 'match'
> &
  Partial<Pick<Exchange, 'facts'>>;

/** A new exchange: no body yet, nothing decided, no response (the one place its initial state is written). */
export function newExchange(request: ExchangeRequest): Exchange {
  return {
    facts: { stream: false },
    ...request,
    finishedAt: undefined,
    body: Buffer.alloc(0),
    requestBytes: 0,
    decision: 'allow',
    rules: new Set(),
    redactions: {},
    status: undefined,
    responseBytes: 0,
    usage: undefined,
    responseModel: undefined,
    errorCode: undefined,
    settled: [],
  };
}

/** Flow control of the response stream, as undici's dispatch controller. */
export interface StreamController {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

/**
 * The response lifecycle, in the shape of undici's dispatch handler. Every exchange ends in exactly one
 * `onResponseEnd` or one `onResponseError`; a refusal answered by a stage has no `onRequestStart`.
 */
export interface ResponseHandler {
  /** The request has been handed to upstream; `controller.abort` cancels it (a client that went away). */
  onRequestStart(controller: StreamController): void;
  /** Final responses only (status >= 200): informational 1xx responses are not passed on. */
  onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void;
  onResponseData(controller: StreamController, chunk: Buffer): void;
  onResponseEnd(controller: StreamController): void;
  onResponseError(controller: StreamController | undefined, error: Error): void;
}

export type Dispatch = (exchange: Exchange, handler: ResponseHandler) => void;
/** A stage wraps the next dispatch, as an undici interceptor does. */
export type Stage = (next: Dispatch) => Dispatch;

/** Forwards every event unchanged, so a stage overrides only what it uses. */
export class PassThroughHandler implements ResponseHandler {
  constructor(protected readonly inner: ResponseHandler) {}
  onRequestStart(controller: StreamController): void {
    this.inner.onRequestStart(controller);
  }
  onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void {
    this.inner.onResponseStart(controller, status, headers);
  }
  onResponseData(controller: StreamController, chunk: Buffer): void {
    this.inner.onResponseData(controller, chunk);
  }
  onResponseEnd(controller: StreamController): void {
    this.inner.onResponseEnd(controller);
  }
  onResponseError(controller: StreamController | undefined, error: Error): void {
    this.inner.onResponseError(controller, error);
  }
}

export function compose(stages: readonly Stage[], innermost: Dispatch): Dispatch {
  let dispatch = innermost;
  for (let i = stages.length - 1; i >= 0; i--) dispatch = stages[i]!(dispatch);
  return dispatch;
}

/** Headers that describe one connection, never forwarded in either direction (RFC 9110 7.6.1). */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
