/** Anthropic Messages API (`/v1/messages`, `/v1/messages/count_tokens`). */
import type { Adapter, FieldKind, JsonPath, RequestFacts, ResponseFacts } from '../types.js';
import {
  bodyModel,
  facts,
  isObject,
  keyFromEnd,
  neverThrows,
  nonEmptyString,
  sumCounts,
  tokenCount,
  type JsonObject,
  type TopLevel,
} from './shared.js';

/**
 * - `…source.data`: media. Image and document blocks with `source.type: "base64"` keep their bytes here.
 *   A plain-text document (`source.type: "text"`) shares the path: the pipeline skips a `media` value
 *   only when it really is base64, so prose there is still scanned.
 * - `…content[k].signature` (thinking blocks) and `…content[k].data` (redacted_thinking blocks): opaque,
 *   provider-issued blobs that must be sent back byte for byte: media.
 * - anything else (text blocks, `system[i].text`, tool_use `input` members, tool_result content): text.
 */
function anthropicFieldKind(path: JsonPath): FieldKind {
  const last = keyFromEnd(path, 1);
  if (last === 'data') {
    const parent = keyFromEnd(path, 2);
    if (parent === 'source') return 'media';
    if (typeof parent === 'number' && keyFromEnd(path, 3) === 'content') return 'media';
    return 'text';
  }
  if (last === 'signature' && typeof keyFromEnd(path, 2) === 'number' && keyFromEnd(path, 3) === 'content') {
    return 'media';
  }
  return 'text';
}

function anthropicRequestFacts(_url: string, topLevel: TopLevel): RequestFacts {
  const model = bodyModel(topLevel);
  const out: RequestFacts = { stream: topLevel.get('stream') === true };
  if (model !== undefined) out.model = model;
  return out;
}

/**
 * Input tokens are `input_tokens` plus the cache counts (`cache_creation_input_tokens`,
 * `cache_read_input_tokens`), which Anthropic reports apart; that makes them comparable with OpenAI's
 * `prompt_tokens`, which include cached tokens.
 */
function inputTokens(usage: JsonObject): number | undefined {
  const base = tokenCount(usage['input_tokens']);
  if (base === undefined) return undefined;
  return sumCounts(
    base,
    tokenCount(usage['cache_creation_input_tokens']),
    tokenCount(usage['cache_read_input_tokens']),
  );
}

/**
 * A non-stream body (`type: "message"`), or one stream event: `message_start` (model and input tokens in
 * `message`), `message_delta` (`usage.output_tokens`, cumulative). Other events say nothing.
 */
function readAnthropic(message: unknown): ResponseFacts {
  if (!isObject(message)) return {};
  const inner = message['message'];
  const source = message['type'] === 'message_start' && isObject(inner) ? inner : message;
  const model = nonEmptyString(source['model']);
  const usage = source['usage'];
  if (!isObject(usage)) return facts(model, undefined, undefined);
  return facts(model, inputTokens(usage), tokenCount(usage['output_tokens']));
}

export const anthropicMessagesAdapter: Adapter = Object.freeze({
  api: 'anthropic-messages',
  fieldKind: anthropicFieldKind,
  requestFacts: anthropicRequestFacts,
  responseFacts: neverThrows(readAnthropic),
});
