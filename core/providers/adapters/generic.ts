/**
 * A path the provider serves that llmgate has no specific adapter for. Every string is text (fail closed);
 * facts come from the common places (`model`, `stream`, OpenAI/Anthropic/Gemini usage members).
 */
import type { Adapter, FieldKind, RequestFacts, ResponseFacts } from '../types.js';
import {
  bodyModel,
  facts,
  isObject,
  neverThrows,
  nonEmptyString,
  tokenCount,
  type TopLevel,
} from './shared.js';

function allText(): FieldKind {
  return 'text';
}

function genericRequestFacts(_url: string, topLevel: TopLevel): RequestFacts {
  const model = bodyModel(topLevel);
  const out: RequestFacts = { stream: topLevel.get('stream') === true };
  if (model !== undefined) out.model = model;
  return out;
}

function readGeneric(message: unknown): ResponseFacts {
  if (!isObject(message)) return {};
  const model = nonEmptyString(message['model']) ?? nonEmptyString(message['modelVersion']);
  const usage = message['usage'];
  if (isObject(usage)) {
    return facts(
      model,
      tokenCount(usage['prompt_tokens']) ?? tokenCount(usage['input_tokens']),
      tokenCount(usage['completion_tokens']) ?? tokenCount(usage['output_tokens']),
    );
  }
  const meta = message['usageMetadata'];
  if (isObject(meta)) {
    return facts(model, tokenCount(meta['promptTokenCount']), tokenCount(meta['candidatesTokenCount']));
  }
  return facts(model, undefined, undefined);
}

export const genericJsonAdapter: Adapter = Object.freeze({
  api: 'generic-json',
  fieldKind: allText,
  requestFacts: genericRequestFacts,
  responseFacts: neverThrows(readGeneric),
});
