/**
 * Wire formats llmgate understands. An adapter is pure data + functions: it knows where text lives in a
 * request, what a refusal looks like to that provider's SDK, and where model and usage sit in responses.
 */
export type ProviderId =
  | 'openai'
  | 'azure-openai'
  | 'anthropic'
  | 'gemini'
  | 'mistral'
  | 'groq'
  | 'deepseek'
  | 'xai'
  | 'openrouter'
  | 'together'
  | 'fireworks'
  | 'perplexity'
  | 'ollama';

export type ApiKind =
  | 'openai-chat'
  | 'openai-responses'
  | 'openai-embeddings'
  | 'openai-completions'
  | 'anthropic-messages'
  | 'gemini-generate'
  | 'gemini-embed'
  | 'ollama-chat'
  | 'ollama-generate'
  | 'ollama-embed'
  /** A path the provider serves that llmgate has no specific adapter for: every string is scanned. */
  | 'generic-json';

/** A key path into a JSON document: object keys and array indices. */
export type JsonPath = readonly (string | number)[];

/**
 * How the pipeline treats one JSON string value:
 * - `text`: scanned (the default for anything not named otherwise: fail closed);
 * - `embedded-json`: a JSON document inside a string (tool-call arguments): parsed, its strings scanned;
 *   scanned as text if it does not parse;
 * - `media`: base64 or data-URL media (images, audio); skipped only if the value really is base64.
 */
export type FieldKind = 'text' | 'embedded-json' | 'media';

export interface RequestFacts {
  model?: string;
  stream: boolean;
}

export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
}

/** What a response message (a JSON body, one SSE `data:`, one NDJSON line) says. */
export interface ResponseFacts {
  model?: string;
  usage?: TokenUsage;
}

export interface Refusal {
  /** HTTP status, e.g. 403 for a block, 413 too large, 415 unscannable. */
  status: number;
  /** llmgate rule id, e.g. `private-key` or `unscannable-body`. */
  rule: string;
  /** Stable error code, e.g. `LG_PIPELINE_BLOCKED`. */
  code: string;
  reason: string;
  fix: string;
  requestId: string;
}

export interface ProviderMatch {
  provider: ProviderId;
  api: ApiKind;
  adapter: Adapter;
}

export interface Adapter {
  readonly api: ApiKind;
  /** How to treat the string at `path` in the request body. */
  fieldKind(path: JsonPath): FieldKind;
  /**
   * Facts from the request: `url` is path + query; `topLevel` holds the request body's top-level scalar
   * members (strings, numbers, booleans) as the pipeline's tokenizer saw them.
   */
  requestFacts(url: string, topLevel: ReadonlyMap<string, string | number | boolean | null>): RequestFacts;
  /** Facts from one parsed response message. Unknown shapes give `{}`; never throws. */
  responseFacts(message: unknown): ResponseFacts;
}
