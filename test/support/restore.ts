/**
 * Drives the restore stage (core/pipeline/restore-stage.ts) without a network: an upstream that replays a
 * response body cut into chunks, and a client end that collects what comes out.
 */
import { expect } from 'vitest';
import {
  newExchange,
  restoreStage,
  type Exchange,
  type ResponseHandler,
  type StreamController,
} from '../../core/pipeline/index.js';
import { matchProvider } from '../../core/providers/index.js';
import type { PseudonymVault } from '../../core/pseudonym/index.js';
import type { EchoFormat } from './echo.js';

/** The frozen clock of these tests. */
export const NOW = 1_800_000_000_000;

const URLS: Record<EchoFormat, [host: string, url: string]> = {
  'openai-chat': ['api.openai.com', '/v1/chat/completions'],
  'openai-responses': ['api.openai.com', '/v1/responses'],
  anthropic: ['api.anthropic.com', '/v1/messages'],
  gemini: ['generativelanguage.googleapis.com', '/v1beta/models/g:streamGenerateContent?alt=sse'],
  ollama: ['ollama.com', '/api/chat'],
};

/** An exchange as the proxy edge makes it, for a request in `format`. */
export function exchangeFor(format: EchoFormat, stream: boolean): Exchange {
  const [host, url] = URLS[format];
  return newExchange({
    id: 'x',
    time: new Date(NOW),
    startedAt: 0,
    mode: 'intercept',
    target: { protocol: 'https:', host, port: 443 },
    method: 'POST',
    url,
    headers: { 'accept-encoding': 'gzip, br' },
    match: matchProvider(host, url),
    facts: { stream },
  });
}

/** The host of an organisation backend (`identity.audiences`) in these tests: no provider matches it. */
export const BACKEND_HOST = 'ai.acme-corp.internal';

/** An exchange to an organisation backend: intercepted and pseudonymized, but no provider API. */
export function backendExchange(stream: boolean): Exchange {
  return {
    ...exchangeFor('openai-chat', stream),
    target: { protocol: 'https:', host: BACKEND_HOST, port: 443 },
    url: '/v1/tickets/summarize',
    match: undefined,
  };
}

const controller: StreamController = { pause() {}, resume() {}, abort() {} };

export interface ReplayOptions {
  readonly restoreToolArguments?: boolean;
  readonly contentType: string;
  readonly status?: number;
  /** More response headers (content-encoding...). */
  readonly headers?: Record<string, string>;
  /** Byte offsets at which the body is cut into chunks (taken modulo its length + 1). */
  readonly cuts?: readonly number[];
}

export interface Received {
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  /** The request headers upstream was asked with. */
  readonly requestHeaders: Record<string, unknown>;
}

/** Sends `body` through the restore stage, as `exchange`'s response; returns what the client receives. */
export function throughStage(
  vault: PseudonymVault,
  exchange: Exchange,
  body: Buffer,
  options: ReplayOptions,
): Received {
  const out: Buffer[] = [];
  let headersSeen: Record<string, string | string[]> = {};
  let requestHeaders: Record<string, unknown> = {};
  let ended = 0;
  const client: ResponseHandler = {
    onRequestStart() {},
    onResponseStart(_c, _status, headers) {
      headersSeen = headers;
    },
    onResponseData(_c, chunk) {
      out.push(chunk);
    },
    onResponseEnd() {
      ended++;
    },
    onResponseError(_c, error) {
      throw error;
    },
  };
  const stage = restoreStage({
    vault,
    restoreToolArguments: options.restoreToolArguments ?? true,
    now: () => NOW,
  });
  stage((sent, handler) => {
    requestHeaders = { ...sent.headers };
    handler.onRequestStart(controller);
    handler.onResponseStart(controller, options.status ?? 200, {
      'content-type': options.contentType,
      'content-length': String(body.length),
      ...options.headers,
    });
    let at = 0;
    const cuts = [...new Set((options.cuts ?? []).map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
    for (const cut of cuts) {
      handler.onResponseData(controller, body.subarray(at, cut));
      at = cut;
    }
    handler.onResponseData(controller, body.subarray(at));
    handler.onResponseEnd(controller);
  })(exchange, client);
  expect(ended).toBe(1);
  return { headers: headersSeen, body: Buffer.concat(out), requestHeaders };
}
