/** Google Gemini API (`generativelanguage.googleapis.com`): generateContent, streaming, countTokens, embeddings. */
import type { Adapter, ApiKind, FieldKind, JsonPath, RequestFacts, ResponseFacts } from '../types.js';
import {
  bodyModel,
  decodeSegment,
  facts,
  isObject,
  keyFromEnd,
  mergeFacts,
  neverThrows,
  nonEmptyString,
  pathOnly,
  sumCounts,
  tokenCount,
  type TopLevel,
} from './shared.js';

/** `/{version}/{models|tunedModels}/{name}:{method}`, e.g. `/v1beta/models/gemini-2.0-flash:generateContent`. */
const MODEL_METHOD = /^\/v1(?:alpha|beta)?\/(models|tunedModels)\/([^/:]+):([A-Za-z]+)$/;

export interface GeminiModelMethod {
  /** `gemini-2.0-flash` for `models/…`; `tunedModels/{id}` for tuned models. */
  readonly model: string;
  /** `generateContent`, `streamGenerateContent`, `countTokens`, `embedContent`, `batchEmbedContents`, … */
  readonly method: string;
}

/** Reads model and method from a Gemini URL (path + query; the path may be percent-encoded). */
export function geminiModelMethod(url: string): GeminiModelMethod | undefined {
  const match = MODEL_METHOD.exec(decodeSegment(pathOnly(url)));
  if (match === null) return undefined;
  const [, collection, name, method] = match;
  if (name === undefined || method === undefined) return undefined;
  return { model: collection === 'tunedModels' ? `tunedModels/${name}` : name, method };
}

/**
 * - `…inlineData.data` / `…inline_data.data` (camelCase and the REST API's snake_case): base64 media;
 * - `…thoughtSignature` / `…thought_signature`: opaque, provider-issued blobs sent back as is: media;
 * - anything else (`contents[i].parts[j].text`, `systemInstruction.parts[j].text`, function call args,
 *   `fileData.fileUri`): text.
 */
function geminiFieldKind(path: JsonPath): FieldKind {
  const last = keyFromEnd(path, 1);
  if (last === 'data') {
    const parent = keyFromEnd(path, 2);
    return parent === 'inlineData' || parent === 'inline_data' ? 'media' : 'text';
  }
  return last === 'thoughtSignature' || last === 'thought_signature' ? 'media' : 'text';
}

/**
 * The model is the one the URL names (the API ignores a body `model` on these routes, so the URL is what
 * runs); the body's `model` only when the URL names none. Streaming is the `streamGenerateContent` method.
 */
function geminiRequestFacts(url: string, topLevel: TopLevel): RequestFacts {
  const fromUrl = geminiModelMethod(url);
  const model = fromUrl?.model ?? bodyModel(topLevel);
  const out: RequestFacts = { stream: fromUrl?.method === 'streamGenerateContent' };
  if (model !== undefined) out.model = model;
  return out;
}

/**
 * One response object (a whole body, one SSE `data:`, one element of a streamed JSON array): `modelVersion`
 * and `usageMetadata.promptTokenCount` / `candidatesTokenCount` (+ `thoughtsTokenCount`, which Gemini
 * counts apart while OpenAI's completion tokens include reasoning). A whole streamed array is folded.
 */
function readGemini(message: unknown): ResponseFacts {
  if (Array.isArray(message)) {
    let out: ResponseFacts = {};
    for (const element of message) out = mergeFacts(out, readOne(element));
    return out;
  }
  return readOne(message);
}

function readOne(message: unknown): ResponseFacts {
  if (!isObject(message)) return {};
  const model = nonEmptyString(message['modelVersion']);
  const usage = message['usageMetadata'];
  if (!isObject(usage)) return facts(model, undefined, undefined);
  return facts(
    model,
    tokenCount(usage['promptTokenCount']),
    sumCounts(tokenCount(usage['candidatesTokenCount']), tokenCount(usage['thoughtsTokenCount'])),
  );
}

function geminiAdapter(api: ApiKind): Adapter {
  return Object.freeze({
    api,
    fieldKind: geminiFieldKind,
    requestFacts: geminiRequestFacts,
    responseFacts: neverThrows(readGemini),
  });
}

export const geminiGenerateAdapter: Adapter = geminiAdapter('gemini-generate');
export const geminiEmbedAdapter: Adapter = geminiAdapter('gemini-embed');
