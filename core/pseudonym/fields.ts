/**
 * Which strings of a response message are restored, and how. Shared by the JSON-body walker (which has a
 * key path) and the stream rewriters (which walk parsed messages).
 */
import type { Context } from './restore.js';

/**
 * Keys under which a provider puts tool-call arguments: OpenAI's `arguments` (JSON text) and legacy
 * `function_call`, Anthropic's tool_use `input` and `partial_json` (JSON text), Gemini's `functionCall`
 * (`args`), OpenAI Responses' custom tool `input`.
 */
const TOOL_KEYS: ReadonlySet<string> = new Set([
  'arguments',
  'partial_json',
  'input',
  'functionCall',
  'function_call',
]);

/** Keys whose string value is JSON text, so a restored original must be escaped as a JSON string. */
const JSON_TEXT_KEYS: ReadonlySet<string> = new Set(['arguments', 'partial_json']);

export function isToolKey(key: string | number | undefined): boolean {
  return typeof key === 'string' && TOOL_KEYS.has(key);
}

export function contextOfKey(key: string | number | undefined): Context {
  return typeof key === 'string' && JSON_TEXT_KEYS.has(key) ? 'json' : 'text';
}

/**
 * How to restore the string at `path` in a response message: `undefined` to leave it (tool-call arguments
 * when they are not to be restored).
 */
export function contextForPath(
  path: readonly (string | number)[],
  restoreToolArguments: boolean,
): Context | undefined {
  if (!restoreToolArguments) for (const key of path) if (isToolKey(key)) return undefined;
  return contextOfKey(path[path.length - 1]);
}
