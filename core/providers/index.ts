/**
 * Provider wire formats: which hosts are LLM providers, which API each path speaks, where text, tool-call
 * arguments and media sit in a request, what model and usage a response reports, and how each provider's
 * SDK expects a refusal to look. Pure: values in, values out. The only import surface of
 * `core/providers/`.
 */
export type {
  Adapter,
  ApiKind,
  FieldKind,
  JsonPath,
  ProviderId,
  ProviderMatch,
  Refusal,
  RequestFacts,
  ResponseFacts,
  TokenUsage,
} from './types.js';
export {
  BASE_URL_PREFIXES,
  LOCAL_PROVIDER_ENDPOINTS,
  PROVIDER_HOSTS,
  PROVIDER_HOST_SUFFIXES,
  isProviderHost,
  matchProvider,
  resolveBaseUrlPath,
  type BaseUrlResolution,
  type BaseUrlTarget,
} from './registry.js';
export {
  ADAPTERS,
  adapterFor,
  anthropicMessagesAdapter,
  azureDeployment,
  geminiEmbedAdapter,
  geminiGenerateAdapter,
  geminiModelMethod,
  genericJsonAdapter,
  ollamaChatAdapter,
  ollamaEmbedAdapter,
  ollamaGenerateAdapter,
  openaiChatAdapter,
  openaiCompletionsAdapter,
  openaiEmbeddingsAdapter,
  openaiResponsesAdapter,
  type GeminiModelMethod,
} from './adapters/index.js';
export { responseFraming, type ResponseFraming } from './framing.js';
export {
  errorShape,
  refusalMessage,
  refusalResponse,
  type ErrorShape,
  type RefusalResponse,
} from './refusal.js';
