/**
 * The innermost dispatch: sends the scanned request to the provider (or the endpoint `upstreams` routes
 * it to) over pooled keep-alive connections, and streams the response into the handler chain chunk by
 * chunk, with backpressure, never buffering it.
 */
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { HOP_BY_HOP_HEADERS, type Dispatch, type Exchange, type ResponseHandler } from './types.js';

export interface UpstreamOptions {
  /** Provider host → origin that replaces it (`https://host:port`). */
  readonly routes: ReadonlyMap<string, string>;
  /** Extra PEM roots trusted for upstream TLS, beside the system roots. */
  readonly extraCaPem?: string;
  /** Time to wait for response headers; long non-streamed completions need minutes (default 10 min). */
  readonly headersTimeoutMs?: number;
  /** Longest silence between two response chunks (default 5 min). */
  readonly bodyTimeoutMs?: number;
}

/** Besides hop-by-hop headers: undici sets Host and Content-Length itself; Expect was answered by us. */
const NOT_FORWARDED = new Set([...HOP_BY_HOP_HEADERS, 'host', 'content-length', 'expect']);

function upstreamHeaders(exchange: Exchange): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionTokens = String(exchange.headers.connection ?? '')
    .toLowerCase()
    .split(',')
    .map((t) => t.trim());
  for (const [name, value] of Object.entries(exchange.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name) || connectionTokens.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Maps undici's dispatch handler onto the pipeline's, which has the same shape. */
class UndiciBridge implements Dispatcher.DispatchHandler {
  constructor(private readonly handler: ResponseHandler) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.handler.onRequestStart(controller);
  }
  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx (100 Continue, 103 Early Hints) precede the real response; the client gets only that one.
    if (statusCode < 200) return;
    const clean: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) clean[name] = value;
    this.handler.onResponseStart(controller, statusCode, clean);
  }
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.handler.onResponseData(controller, chunk);
  }
  onResponseEnd(controller: Dispatcher.DispatchController): void {
    this.handler.onResponseEnd(controller);
  }
  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.handler.onResponseError(controller, error);
  }
}

export interface Upstream {
  readonly dispatch: Dispatch;
  close(): Promise<void>;
}

export function createUpstream(options: UpstreamOptions): Upstream {
  // One secure context for every upstream connection: passing `ca` instead would make each new connection
  // parse the ~140 system roots again (about 20 ms of CPU each, measured by bench/peers at concurrency 100).
  const secureContext =
    options.extraCaPem === undefined
      ? undefined
      : createSecureContext({ ca: [...rootCertificates, options.extraCaPem] });
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: options.headersTimeoutMs ?? 10 * 60_000,
    bodyTimeout: options.bodyTimeoutMs ?? 5 * 60_000,
    // No cap per origin: a capped pool queues the request past the cap until a stream ends, and LLM streams
    // last minutes, so the 65th concurrent agent stalled without an answer (found by test/hostile/soak).
    // Concurrency is bounded by the local clients; idle keep-alive connections are still reused.
    connections: null,
    pipelining: 1,
    connect: secureContext === undefined ? {} : { secureContext },
  });

  const dispatch: Dispatch = (exchange, handler) => {
    const { target } = exchange;
    // A policy route (per group) wins over the config's route for the host.
    const routed = exchange.upstreamOrigin ?? options.routes.get(target.host);
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    const origin = routed ?? `${target.protocol}//${host}:${target.port}`;
    agent.dispatch(
      {
        origin,
        path: exchange.url,
        method: exchange.method as Dispatcher.HttpMethod,
        headers: upstreamHeaders(exchange),
        body: exchange.body.length > 0 || exchange.method === 'POST' ? exchange.body : null,
      },
      new UndiciBridge(handler),
    );
  };

  return {
    dispatch,
    close: () => agent.close(),
  };
}
