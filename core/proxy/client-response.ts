import type { ServerResponse } from 'node:http';
import {
  HOP_BY_HOP_HEADERS,
  refusalMessage,
  type Exchange,
  type ResponseHandler,
  type StreamController,
} from '../pipeline/index.js';

/** undici's codes for a provider that went silent: before its headers, or between two body chunks. */
const UPSTREAM_TIMEOUTS: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * The end of the handler chain: writes the response to the client as it arrives, with backpressure:
 * when the client is slow, upstream is paused instead of buffered.
 */
export class ClientResponseHandler implements ResponseHandler {
  private controller: StreamController | undefined;
  private clientGone = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly exchange: Exchange,
  ) {
    res.once('close', () => {
      if (!res.writableFinished) {
        this.clientGone = true;
        this.controller?.abort(new Error('client closed the connection'));
      }
    });
  }

  onRequestStart(controller: StreamController): void {
    this.controller = controller;
    // The client may have gone before upstream was even asked: cancel at once.
    if (this.clientGone) controller.abort(new Error('client closed the connection'));
  }

  onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void {
    this.controller = controller;
    if (this.clientGone) {
      controller.abort(new Error('client closed the connection'));
      return;
    }
    const out: Record<string, string | string[]> = {};
    for (const name in headers) if (!HOP_BY_HOP_HEADERS.has(name)) out[name] = headers[name]!;
    out['x-llmgate-request-id'] = this.exchange.id;
    this.res.writeHead(status, out);
    // Streams must show their first event at once; other bodies go out with their first chunk.
    if (String(headers['content-type'] ?? '').includes('event-stream')) this.res.flushHeaders();
  }

  onResponseData(controller: StreamController, chunk: Buffer): void {
    if (this.clientGone) return;
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (!this.clientGone) this.res.end();
  }

  onResponseError(_controller: StreamController | undefined, error: Error): void {
    if (this.clientGone) {
      this.exchange.errorCode = 'LG_PROXY_CLIENT_CLOSED';
      return;
    }
    const cause = (error as { code?: string }).code;
    const timedOut = cause !== undefined && UPSTREAM_TIMEOUTS.has(cause);
    if (this.res.headersSent) {
      // Mid-stream failure: cut the connection so the client sees an incomplete response, not a short one.
      this.exchange.errorCode = timedOut ? 'LG_PROXY_UPSTREAM_TIMEOUT' : 'LG_PROXY_UPSTREAM_FAILED';
      this.res.destroy(error);
      return;
    }
    const message = refusalMessage(
      this.exchange,
      timedOut
        ? {
            status: 504,
            rule: 'upstream-timeout',
            code: 'LG_PROXY_UPSTREAM_TIMEOUT',
            reason: `${this.exchange.target.host} did not start answering in time (${cause}).`,
            fix: 'Retry later, or raise `proxy.upstreamHeadersTimeoutSeconds` if the provider is slow on purpose.',
          }
        : {
            status: 502,
            rule: 'upstream-unreachable',
            code: 'LG_PROXY_UPSTREAM_FAILED',
            reason: `llmgate could not reach ${this.exchange.target.host} (${cause ?? error.name}).`,
            fix: 'Check your network or the `upstreams` entry for this host, then retry.',
          },
    );
    this.res.writeHead(message.status, message.headers);
    this.res.end(message.body);
  }
}
