/** How a provider frames its response body, so the pipeline knows how to cut it into messages. */
import { queryOnly } from './adapters/shared.js';
import type { ApiKind } from './types.js';

/**
 * - `json`: one JSON document;
 * - `sse`: Server-Sent Events, one JSON message per `data:`;
 * - `ndjson`: one JSON message per line (Ollama);
 * - `json-array`: one JSON array whose elements arrive over time (Gemini `streamGenerateContent` without
 *   `alt=sse`).
 */
export type ResponseFraming = 'json' | 'sse' | 'ndjson' | 'json-array';

const ALT_SSE = /(?:^|&)alt=sse(?:&|$)/;

/**
 * The framing a streamed (or not) response of `api` uses; `url` is path + query. For `generic-json` this
 * is a guess (`sse` when streaming): the pipeline should trust the response's content type over it.
 */
export function responseFraming(api: ApiKind, url: string, stream: boolean): ResponseFraming {
  if (!stream) return 'json';
  switch (api) {
    case 'gemini-generate':
    case 'gemini-embed':
      return ALT_SSE.test(queryOnly(url)) ? 'sse' : 'json-array';
    case 'ollama-chat':
    case 'ollama-generate':
    case 'ollama-embed':
      return 'ndjson';
    default:
      return 'sse';
  }
}
