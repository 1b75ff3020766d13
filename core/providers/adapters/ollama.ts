/** Ollama's native API (`/api/chat`, `/api/generate`, `/api/embed`, `/api/embeddings`). */
import type { Adapter, ApiKind, FieldKind, JsonPath, RequestFacts, ResponseFacts } from '../types.js';
import {
  bodyModel,
  facts,
  isObject,
  keyFromEnd,
  neverThrows,
  nonEmptyString,
  tokenCount,
  type TopLevel,
} from './shared.js';

/** `…images[i]` (base64 images on a chat message or a generate request): media; anything else: text. */
function ollamaFieldKind(path: JsonPath): FieldKind {
  return typeof keyFromEnd(path, 1) === 'number' && keyFromEnd(path, 2) === 'images' ? 'media' : 'text';
}

/** Chat and generate stream unless the body says `"stream": false` (Ollama's default is to stream). */
function streamingByDefault(_url: string, topLevel: TopLevel): RequestFacts {
  const model = bodyModel(topLevel);
  const out: RequestFacts = { stream: topLevel.get('stream') !== false };
  if (model !== undefined) out.model = model;
  return out;
}

function neverStreaming(_url: string, topLevel: TopLevel): RequestFacts {
  const model = bodyModel(topLevel);
  const out: RequestFacts = { stream: false };
  if (model !== undefined) out.model = model;
  return out;
}

/** A whole body or one NDJSON line: `model`, `prompt_eval_count`, `eval_count` (the last line has counts). */
function readOllama(message: unknown): ResponseFacts {
  if (!isObject(message)) return {};
  return facts(
    nonEmptyString(message['model']),
    tokenCount(message['prompt_eval_count']),
    tokenCount(message['eval_count']),
  );
}

function ollamaAdapter(api: ApiKind, requestFacts: Adapter['requestFacts']): Adapter {
  return Object.freeze({
    api,
    fieldKind: ollamaFieldKind,
    requestFacts,
    responseFacts: neverThrows(readOllama),
  });
}

export const ollamaChatAdapter: Adapter = ollamaAdapter('ollama-chat', streamingByDefault);
export const ollamaGenerateAdapter: Adapter = ollamaAdapter('ollama-generate', streamingByDefault);
export const ollamaEmbedAdapter: Adapter = ollamaAdapter('ollama-embed', neverStreaming);
