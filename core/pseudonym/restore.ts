/**
 * Putting originals back in place of stand-ins, in whole strings and in text that arrives in pieces.
 */
import { NONE, PARTIAL, matchStandIn } from './stand-in.js';

/** The original behind a stand-in, or `undefined` to leave it as it is (not issued, or expired). */
export type Lookup = (standIn: string) => string | undefined;

/**
 * Where restored text goes: `text` as it is, or `json` for JSON text (tool-call arguments, Anthropic's
 * `partial_json`), where a stand-in sits inside a JSON string literal and its original must be escaped as
 * one (a `"` or `\` in it would otherwise break the arguments).
 */
export type Context = 'text' | 'json';

function encode(original: string, context: Context): string {
  return context === 'text' ? original : JSON.stringify(original).slice(1, -1);
}

const OPEN_BRACKET = '[';

/**
 * Restores stand-ins in text that arrives in pieces (the deltas of one streamed message). `push` returns at
 * once everything that cannot be part of a stand-in, restored, and holds back only a tail that still could
 * be: a `[` at the very end, or a `[[…` that fits the grammar so far (at most MAX_STAND_IN_LENGTH
 * characters). A stand-in split across any number of pieces comes out once, whole and restored. `flush`
 * gives back what is held when the message ends (it was not a stand-in after all).
 */
export class StreamRestorer {
  private held = '';

  constructor(
    private readonly lookup: Lookup,
    private readonly context: Context = 'text',
  ) {}

  /** Whether text is held back, waiting for the next piece. */
  get holding(): boolean {
    return this.held !== '';
  }

  push(piece: string): string {
    const text = this.held === '' ? piece : this.held + piece;
    this.held = '';
    let i = text.indexOf(OPEN_BRACKET);
    if (i === -1) return text;
    let out = '';
    let cursor = 0;
    while (i !== -1) {
      const end = matchStandIn(text, i);
      if (end === PARTIAL) {
        this.held = text.slice(i);
        return out + text.slice(cursor, i);
      }
      if (end !== NONE) {
        const original = this.lookup(text.slice(i, end));
        if (original !== undefined) {
          out += text.slice(cursor, i) + encode(original, this.context);
          cursor = end;
          i = text.indexOf(OPEN_BRACKET, end);
          continue;
        }
      }
      i = text.indexOf(OPEN_BRACKET, i + 1);
    }
    return cursor === 0 ? text : out + text.slice(cursor);
  }

  flush(): string {
    const held = this.held;
    this.held = '';
    return held;
  }
}

/**
 * Whether JSON text (a streamed message, or a body's bytes) may hold a stand-in, or the start of one, in
 * one of its strings: checked on the raw text, so that most messages go on without being parsed. A
 * stand-in starts with `[[`; the start of one cut after its first `[` ends a string, so appears as `["`; a
 * `[` spelled as an escape shows as `\u`. JSON syntax itself (`"choices":[{`) has none of these.
 */
export function mayHoldStandIn(json: string | Buffer): boolean {
  return json.indexOf('[[') !== -1 || json.indexOf('["') !== -1 || json.indexOf('\\u') !== -1;
}

/** Restores every stand-in in one whole string; returns `text` itself when there is none. */
export function restoreText(text: string, lookup: Lookup, context: Context = 'text'): string {
  if (text.indexOf('[[') === -1) return text;
  const restorer = new StreamRestorer(lookup, context);
  const out = restorer.push(text);
  return restorer.holding ? out + restorer.flush() : out;
}
