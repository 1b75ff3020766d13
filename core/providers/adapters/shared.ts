/**
 * Small helpers the adapters share. Everything here is allocation-light and never throws on odd input:
 * response messages come from the network and may be any JSON value.
 */
import type { JsonPath, ResponseFacts } from '../types.js';

/** The request body's top-level scalar members, as the pipeline's tokenizer saw them. */
export type TopLevel = ReadonlyMap<string, string | number | boolean | null>;

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, else `undefined`. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A token count: a finite, non-negative number, else `undefined`. */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Adds counts where at least one is defined; `undefined` when none is, or when the sum is not a safe
 * integer (a provider's absurd figures must not reach the audit log, whose JSON has no Infinity).
 */
export function sumCounts(a: number | undefined, b: number | undefined, c?: number): number | undefined {
  if (a === undefined && b === undefined && c === undefined) return undefined;
  const sum = (a ?? 0) + (b ?? 0) + (c ?? 0);
  return Number.isSafeInteger(sum) ? sum : undefined;
}

/** The body's `model` member when it is a non-empty string. */
export function bodyModel(topLevel: TopLevel): string | undefined {
  return nonEmptyString(topLevel.get('model'));
}

/** Builds facts with only the members the message really states (later messages overwrite earlier ones). */
export function facts(
  model: string | undefined,
  inputTokens: number | undefined,
  outputTokens: number | undefined,
): ResponseFacts {
  const out: ResponseFacts = {};
  if (model !== undefined) out.model = model;
  if (inputTokens !== undefined || outputTokens !== undefined) {
    out.usage = {};
    if (inputTokens !== undefined) out.usage.inputTokens = inputTokens;
    if (outputTokens !== undefined) out.usage.outputTokens = outputTokens;
  }
  return out;
}

/** Folds facts: defined members of `next` overwrite those of `prev`. */
export function mergeFacts(prev: ResponseFacts, next: ResponseFacts): ResponseFacts {
  return facts(
    next.model ?? prev.model,
    next.usage?.inputTokens ?? prev.usage?.inputTokens,
    next.usage?.outputTokens ?? prev.usage?.outputTokens,
  );
}

/** `url` without its query string and fragment. Allocates only when there is something to cut. */
export function pathOnly(url: string): string {
  let end = url.indexOf('?');
  const hash = url.indexOf('#');
  if (hash !== -1 && (end === -1 || hash < end)) end = hash;
  return end === -1 ? url : url.slice(0, end);
}

/** The query string of `url` (without `?` and fragment), or `''`. */
export function queryOnly(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return '';
  const hash = url.indexOf('#', q);
  return hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash);
}

/** Percent-decodes a path segment; leaves it as is when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The key `depth` places before the end of `path` (`1` is the last key), or `undefined`. */
export function keyFromEnd(path: JsonPath, depth: number): string | number | undefined {
  return path[path.length - depth];
}

/** Wraps a response reader so that no input, however odd, makes it throw. */
export function neverThrows(read: (message: unknown) => ResponseFacts): (message: unknown) => ResponseFacts {
  return (message: unknown): ResponseFacts => {
    try {
      return read(message);
    } catch {
      return {};
    }
  };
}
