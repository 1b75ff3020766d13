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

function isToolKey(key: string | number | undefined): boolean {
  return typeof key === 'string' && TOOL_KEYS.has(key);
}

function contextOfKey(key: string | number | undefined): Context {
  return typeof key === 'string' && JSON_TEXT_KEYS.has(key) ? 'json' : 'text';
}

/**
 * Whether the string at `path` is the text of Anthropic extended thinking: a thinking block's `thinking`
 * (`content[k]` in a message, `content_block` when a stream opens the block) or a `thinking_delta`'s
 * (`delta`). The block's `signature` covers these bytes and clients send the block back as it came, so a
 * restored original would be refused there ("invalid signature") as soon as the stand-in differs, after a
 * daemon restart at the latest. Signed text is left exactly as the provider sent it.
 */
export function isSignedThinking(path: readonly (string | number)[]): boolean {
  const n = path.length;
  if (path[n - 1] !== 'thinking') return false;
  const parent = path[n - 2];
  return (
    parent === 'delta' ||
    parent === 'content_block' ||
    (typeof parent === 'number' && path[n - 3] === 'content')
  );
}

/**
 * How to restore the string at `path` in a response message: `undefined` to leave it (signed thinking
 * text; tool-call arguments when they are not to be restored).
 */
export function contextForPath(
  path: readonly (string | number)[],
  restoreToolArguments: boolean,
): Context | undefined {
  if (isSignedThinking(path)) return undefined;
  if (!restoreToolArguments) for (const key of path) if (isToolKey(key)) return undefined;
  return contextOfKey(path[path.length - 1]);
}
