/**
 * A refused request's answer, in the provider's own error shape so that its SDK shows the message, plus a
 * top-level `llmgate` object with rule, code, reason, fix and request id. Built only from the `Refusal`
 * members named below: no request content can reach it.
 */
import { CodedTypeError } from '../errors.js';
import type { ApiKind, ProviderId, Refusal } from './types.js';

export interface RefusalResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Error shapes llmgate can answer in. */
export type ErrorShape = 'openai' | 'anthropic' | 'gemini' | 'ollama';

const ANTHROPIC_TYPES: ReadonlyMap<number, string> = new Map([
  [400, 'invalid_request_error'],
  [401, 'authentication_error'],
  [402, 'billing_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
  [413, 'request_too_large'],
  [429, 'rate_limit_error'],
  [500, 'api_error'],
  [504, 'timeout_error'],
  [529, 'overloaded_error'],
]);

const GEMINI_STATUSES: ReadonlyMap<number, string> = new Map([
  [400, 'INVALID_ARGUMENT'],
  [401, 'UNAUTHENTICATED'],
  [403, 'PERMISSION_DENIED'],
  [404, 'NOT_FOUND'],
  [409, 'ABORTED'],
  [413, 'INVALID_ARGUMENT'],
  [415, 'INVALID_ARGUMENT'],
  [429, 'RESOURCE_EXHAUSTED'],
  [499, 'CANCELLED'],
  [500, 'INTERNAL'],
  [501, 'UNIMPLEMENTED'],
  [503, 'UNAVAILABLE'],
  [504, 'DEADLINE_EXCEEDED'],
]);

function anthropicType(status: number): string {
  return ANTHROPIC_TYPES.get(status) ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function geminiStatus(status: number): string {
  return GEMINI_STATUSES.get(status) ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

/**
 * The shape a client expects: by API when known (an OpenAI-compatible route of Ollama or Gemini answers
 * like OpenAI; an Anthropic-compatible route of xAI or DeepSeek like Anthropic), else by provider; an
 * unknown provider gets the OpenAI shape, which most SDKs read.
 */
export function errorShape(provider: ProviderId | undefined, api?: ApiKind): ErrorShape {
  if (api !== undefined && api !== 'generic-json') {
    if (api.startsWith('openai-')) return 'openai';
    if (api === 'anthropic-messages') return 'anthropic';
    if (api.startsWith('gemini-')) return 'gemini';
    if (api.startsWith('ollama-')) return 'ollama';
  }
  switch (provider) {
    case 'anthropic':
      return 'anthropic';
    case 'gemini':
      return 'gemini';
    case 'ollama':
      return 'ollama';
    default:
      return 'openai';
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Header values: visible ASCII only, so a value can never split or inject a header. */
function headerValue(value: string): string {
  return value.replace(/[^\x21-\x7e]/g, '_');
}

/**
 * `llmgate blocked this request (rule private-key): <reason> Fix: <fix> (request id <id>)`.
 */
export function refusalMessage(refusal: Refusal): string {
  const reason = sentence(String(refusal.reason));
  const fix = sentence(String(refusal.fix));
  const parts = [`llmgate blocked this request (rule ${String(refusal.rule)}):`];
  if (reason !== '') parts.push(reason);
  if (fix !== '') parts.push(`Fix: ${fix}`);
  parts.push(`(request id ${String(refusal.requestId)})`);
  return parts.join(' ');
}

/**
 * The HTTP answer to a refused request. `provider` picks the error shape (OpenAI for an unknown provider);
 * `api`, when given, overrides it for providers that serve another family's API (Ollama's `/v1/*` answers
 * in the OpenAI shape). `refusal.status` must be an integer in 400-599 (a coded `TypeError` otherwise).
 * `reason` and `fix` are shown to the user and must not quote request content.
 */
export function refusalResponse(
  provider: ProviderId | undefined,
  refusal: Refusal,
  api?: ApiKind,
): RefusalResponse {
  const status = refusal.status;
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new CodedTypeError(`refusal status must be an integer in 400-599, got ${String(status)}`);
  }
  const rule = String(refusal.rule);
  const requestId = String(refusal.requestId);
  const message = refusalMessage(refusal);
  const llmgate = {
    rule,
    code: String(refusal.code),
    reason: String(refusal.reason),
    fix: String(refusal.fix),
    requestId,
  };
  let payload: object;
  switch (errorShape(provider, api)) {
    case 'anthropic':
      payload = {
        type: 'error',
        error: { type: anthropicType(status), message },
        request_id: requestId,
        llmgate,
      };
      break;
    case 'gemini':
      payload = { error: { code: status, message, status: geminiStatus(status) }, llmgate };
      break;
    case 'ollama':
      payload = { error: message, llmgate };
      break;
    case 'openai':
      payload = { error: { message, type: 'invalid_request_error', param: null, code: rule }, llmgate };
      break;
  }
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-llmgate-request-id': headerValue(requestId),
      'x-llmgate-rule': headerValue(rule),
    },
    body: JSON.stringify(payload),
  };
}
