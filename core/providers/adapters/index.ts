/** Adapter lookup by API kind. */
import { CodedTypeError } from '../../errors.js';
import type { Adapter, ApiKind } from '../types.js';
import { anthropicMessagesAdapter } from './anthropic.js';
import { geminiEmbedAdapter, geminiGenerateAdapter } from './gemini.js';
import { genericJsonAdapter } from './generic.js';
import { ollamaChatAdapter, ollamaEmbedAdapter, ollamaGenerateAdapter } from './ollama.js';
import {
  openaiChatAdapter,
  openaiCompletionsAdapter,
  openaiEmbeddingsAdapter,
  openaiResponsesAdapter,
} from './openai.js';

export {
  anthropicMessagesAdapter,
  geminiEmbedAdapter,
  geminiGenerateAdapter,
  genericJsonAdapter,
  ollamaChatAdapter,
  ollamaEmbedAdapter,
  ollamaGenerateAdapter,
  openaiChatAdapter,
  openaiCompletionsAdapter,
  openaiEmbeddingsAdapter,
  openaiResponsesAdapter,
};
export { geminiModelMethod, type GeminiModelMethod } from './gemini.js';
export { azureDeployment } from './openai.js';

const BY_API: Readonly<Record<ApiKind, Adapter>> = Object.freeze({
  'openai-chat': openaiChatAdapter,
  'openai-responses': openaiResponsesAdapter,
  'openai-embeddings': openaiEmbeddingsAdapter,
  'openai-completions': openaiCompletionsAdapter,
  'anthropic-messages': anthropicMessagesAdapter,
  'gemini-generate': geminiGenerateAdapter,
  'gemini-embed': geminiEmbedAdapter,
  'ollama-chat': ollamaChatAdapter,
  'ollama-generate': ollamaGenerateAdapter,
  'ollama-embed': ollamaEmbedAdapter,
  'generic-json': genericJsonAdapter,
});

/** Every adapter, keyed by the API it reads. */
export const ADAPTERS: ReadonlyMap<ApiKind, Adapter> = new Map(
  Object.entries(BY_API) as [ApiKind, Adapter][],
);

/** The adapter for `api`. An unknown kind is misuse: a coded `TypeError`. */
export function adapterFor(api: ApiKind): Adapter {
  const adapter = ADAPTERS.get(api);
  if (adapter === undefined) throw new CodedTypeError(`unknown provider API kind: ${String(api)}`);
  return adapter;
}
