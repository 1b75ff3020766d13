/**
 * OpenAI wire formats: Chat Completions, Responses, Embeddings and legacy Completions. Every
 * OpenAI-compatible provider (Azure OpenAI, Mistral, Groq, DeepSeek, xAI, OpenRouter, Together, Fireworks,
 * Perplexity, Ollama's `/v1/*`, Gemini's `/v1beta/openai/*`, admin-routed hosts) uses these adapters.
 */
import type { Adapter, ApiKind, FieldKind, JsonPath, RequestFacts, ResponseFacts } from '../types.js';
import {
  bodyModel,
  decodeSegment,
  facts,
  isObject,
  keyFromEnd,
  neverThrows,
  nonEmptyString,
  tokenCount,
  type TopLevel,
} from './shared.js';

/**
 * Field kinds shared by every OpenAI format, compared from the end of the path:
 * - `…tool_calls[j].function.arguments` (chat tool calls) and `…function_call.arguments` (legacy chat
 *   function calls): a JSON document in a string;
 * - `…image_url.url` (chat image part, usually a data URL), `…image_url` as a string (Responses
 *   `input_image`, `computer_screenshot`), `…input_audio.data`, `…file_data` (chat `file` part, Responses
 *   `input_file`): media;
 * - `…encrypted_content` (Responses reasoning items, an opaque provider-issued blob): media;
 * - anything else: text.
 */
export function openaiFieldKind(path: JsonPath): FieldKind {
  const last = keyFromEnd(path, 1);
  switch (last) {
    case 'arguments': {
      const parent = keyFromEnd(path, 2);
      if (parent === 'function_call') return 'embedded-json';
      if (
        parent === 'function' &&
        typeof keyFromEnd(path, 3) === 'number' &&
        keyFromEnd(path, 4) === 'tool_calls'
      ) {
        return 'embedded-json';
      }
      return 'text';
    }
    case 'url':
      return keyFromEnd(path, 2) === 'image_url' ? 'media' : 'text';
    case 'data':
      return keyFromEnd(path, 2) === 'input_audio' ? 'media' : 'text';
    case 'image_url':
    case 'file_data':
    case 'encrypted_content':
      return 'media';
    default:
      return 'text';
  }
}

/**
 * Responses API: also `input[i].arguments`, the JSON arguments of a `function_call` (or `mcp_call`) item
 * sent back as conversation state. Tool outputs (`function_call_output.output`) stay text even when they
 * hold JSON.
 */
export function openaiResponsesFieldKind(path: JsonPath): FieldKind {
  if (path.length === 3 && path[2] === 'arguments' && path[0] === 'input' && typeof path[1] === 'number') {
    return 'embedded-json';
  }
  return openaiFieldKind(path);
}

const DEPLOYMENTS = '/openai/deployments/';

/** The deployment name of an Azure OpenAI deployment URL (`/openai/deployments/{name}/…`), if any. */
export function azureDeployment(url: string): string | undefined {
  if (!url.startsWith(DEPLOYMENTS)) return undefined;
  let end = DEPLOYMENTS.length;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */) break;
    end++;
  }
  if (end === DEPLOYMENTS.length) return undefined;
  return decodeSegment(url.slice(DEPLOYMENTS.length, end));
}

/** Model: the body's `model`, else the Azure deployment name from the URL. Stream: body `stream: true`. */
export function openaiRequestFacts(url: string, topLevel: TopLevel): RequestFacts {
  const model = bodyModel(topLevel) ?? azureDeployment(url);
  const out: RequestFacts = { stream: topLevel.get('stream') === true };
  if (model !== undefined) out.model = model;
  return out;
}

/**
 * Chat Completions, legacy Completions and Embeddings: a whole body or one streamed chunk.
 * `usage.prompt_tokens` / `usage.completion_tokens` (streamed only in the last chunk, with
 * `stream_options.include_usage`); Groq streams put usage in `x_groq.usage`.
 */
function readChatLike(message: unknown): ResponseFacts {
  if (!isObject(message)) return {};
  let usage = message['usage'];
  if (!isObject(usage)) {
    const groq = message['x_groq'];
    usage = isObject(groq) ? groq['usage'] : undefined;
  }
  if (!isObject(usage)) return facts(nonEmptyString(message['model']), undefined, undefined);
  return facts(
    nonEmptyString(message['model']),
    tokenCount(usage['prompt_tokens']),
    tokenCount(usage['completion_tokens']),
  );
}

/**
 * Responses API: the non-stream body (`object: "response"`) or one stream event. Events that carry the
 * response object (`response.created`, `response.in_progress`, `response.completed`,
 * `response.incomplete`, `response.failed`) give its `model` and `usage.input_tokens/output_tokens`.
 */
function readResponses(message: unknown): ResponseFacts {
  if (!isObject(message)) return {};
  const inner = message['response'];
  const response = typeof message['type'] === 'string' && isObject(inner) ? inner : message;
  const usage = response['usage'];
  const model = nonEmptyString(response['model']);
  if (!isObject(usage)) return facts(model, undefined, undefined);
  return facts(model, tokenCount(usage['input_tokens']), tokenCount(usage['output_tokens']));
}

function openaiAdapter(
  api: ApiKind,
  fieldKind: (path: JsonPath) => FieldKind,
  read: (message: unknown) => ResponseFacts,
): Adapter {
  return Object.freeze({
    api,
    fieldKind,
    requestFacts: openaiRequestFacts,
    responseFacts: neverThrows(read),
  });
}

export const openaiChatAdapter: Adapter = openaiAdapter('openai-chat', openaiFieldKind, readChatLike);
export const openaiResponsesAdapter: Adapter = openaiAdapter(
  'openai-responses',
  openaiResponsesFieldKind,
  readResponses,
);
export const openaiEmbeddingsAdapter: Adapter = openaiAdapter(
  'openai-embeddings',
  openaiFieldKind,
  readChatLike,
);
export const openaiCompletionsAdapter: Adapter = openaiAdapter(
  'openai-completions',
  openaiFieldKind,
  readChatLike,
);
