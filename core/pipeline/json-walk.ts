/**
 * A byte-level JSON walker that reports every string (keys and values) with its raw byte span and key
 * path. Hand-written because no parser on npm gives raw offsets cheaply; we need them so that a
 * redaction rewrites only the redacted string and every other byte (numbers, key order, whitespace,
 * base64 media) reaches the provider unchanged. Iterative (an explicit stack), so deep nesting cannot
 * overflow the call stack; `maxDepth` bounds memory.
 */
import type { JsonPath } from '../providers/index.js';

export type JsonScalar = string | number | boolean | null;

export interface JsonStringVisit {
  /** Byte offset of the opening quote. */
  readonly start: number;
  /** Byte offset just past the closing quote. */
  readonly end: number;
  readonly value: string;
  readonly isKey: boolean;
  /** Whether the raw string had escape sequences (if not, its raw bytes are exactly `value` in UTF-8). */
  readonly escaped: boolean;
  /** Path of the value; for a key, the path of the object holding it. Valid only during the call. */
  readonly path: JsonPath;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const CONTROL_CHARACTER = /[\u0000-\u001f]/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** Frame kinds and states of the explicit stack. */
const OBJECT = 0;
const ARRAY = 1;
const EXPECT_KEY_OR_END = 0;
const EXPECT_KEY = 1;
const EXPECT_COLON = 2;
const EXPECT_VALUE = 3;
const EXPECT_COMMA_OR_END = 4;
const EXPECT_VALUE_OR_END = 5;

interface Frame {
  kind: number;
  state: number;
  index: number;
}

export interface WalkOptions {
  readonly maxDepth: number;
  readonly onString: (visit: JsonStringVisit) => void;
  /** Receives top-level members of a top-level object whose value is a scalar. */
  readonly onTopLevelScalar?: (key: string, value: JsonScalar) => void;
}

/** Walks `buf` (UTF-8 JSON). Throws JsonSyntaxError on anything that is not one valid JSON value. */
export function walkJson(buf: Uint8Array, options: WalkOptions): void {
  const { maxDepth, onString, onTopLevelScalar } = options;
  const length = buf.length;
  const path: (string | number)[] = [];
  const stack: Frame[] = [];
  const decoder = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  let rootDone = false;
  let pendingKey = '';

  const readString = (): { value: string; end: number; escaped: boolean } => {
    // pos is at the opening quote; find the closing quote not preceded by an odd run of backslashes.
    let search = pos + 1;
    for (;;) {
      const q = decoder.indexOf(QUOTE, search);
      if (q === -1) throw new JsonSyntaxError('unterminated string', pos);
      let backslashes = 0;
      for (let k = q - 1; k > pos && decoder[k] === BACKSLASH; k--) backslashes++;
      if (backslashes % 2 === 0) {
        const end = q + 1;
        const body = decoder.subarray(pos + 1, q);
        let value: string;
        const escaped = body.indexOf(BACKSLASH) !== -1;
        if (escaped) {
          try {
            value = JSON.parse(decoder.toString('utf8', pos, end)) as string;
          } catch {
            throw new JsonSyntaxError('invalid string escape', pos);
          }
        } else {
          value = body.toString('utf8');
          // A regex scan of the decoded string is several times faster than a byte loop in JS.
          if (CONTROL_CHARACTER.test(value)) throw new JsonSyntaxError('control character in string', pos);
        }
        return { value, end, escaped };
      }
      search = q + 1;
    }
  };

  const readScalar = (): JsonScalar => {
    const start = pos;
    while (pos < length) {
      const b = decoder[pos]!;
      if (b === 0x2c || b === 0x7d || b === 0x5d || isWhitespace(b)) break;
      pos++;
    }
    const token = decoder.toString('latin1', start, pos);
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    if (token.length > 0 && token.length < 400 && NUMBER.test(token)) return Number(token);
    // The message names the offset only: request content must never reach an error message.
    throw new JsonSyntaxError('unexpected token', start);
  };

  /** Called once a value has been fully read, to move the enclosing frame on. */
  const valueDone = (): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      rootDone = true;
      return;
    }
    top.state = EXPECT_COMMA_OR_END;
  };

  while (pos < length) {
    const b = decoder[pos]!;
    if (isWhitespace(b)) {
      pos++;
      continue;
    }
    if (rootDone) throw new JsonSyntaxError('unexpected data after the JSON value', pos);
    const top = stack[stack.length - 1];
    const state = top === undefined ? EXPECT_VALUE : top.state;

    if (state === EXPECT_COMMA_OR_END) {
      const frame = top!;
      if (b === 0x2c) {
        frame.state = frame.kind === OBJECT ? EXPECT_KEY : EXPECT_VALUE;
        if (frame.kind === ARRAY) path[stack.length - 1] = ++frame.index;
        pos++;
        continue;
      }
      if ((b === 0x7d && frame.kind === OBJECT) || (b === 0x5d && frame.kind === ARRAY)) {
        stack.pop();
        path.length = stack.length;
        pos++;
        valueDone();
        continue;
      }
      throw new JsonSyntaxError('expected , or end of container', pos);
    }

    if (state === EXPECT_KEY_OR_END || state === EXPECT_KEY) {
      if (b === 0x7d && state === EXPECT_KEY_OR_END) {
        stack.pop();
        path.length = stack.length;
        pos++;
        valueDone();
        continue;
      }
      if (b !== QUOTE) throw new JsonSyntaxError('expected a key', pos);
      const { value, end, escaped } = readString();
      path.length = stack.length - 1;
      onString({ start: pos, end, value, isKey: true, escaped, path });
      path[stack.length - 1] = value;
      pendingKey = value;
      top!.state = EXPECT_COLON;
      pos = end;
      continue;
    }

    if (state === EXPECT_COLON) {
      if (b !== 0x3a) throw new JsonSyntaxError('expected :', pos);
      top!.state = EXPECT_VALUE;
      pos++;
      continue;
    }

    // EXPECT_VALUE or EXPECT_VALUE_OR_END
    if (b === 0x5d && state === EXPECT_VALUE_OR_END) {
      stack.pop();
      path.length = stack.length;
      pos++;
      valueDone();
      continue;
    }
    if (b === 0x7b || b === 0x5b) {
      if (stack.length >= maxDepth) throw new JsonSyntaxError(`nesting deeper than ${maxDepth}`, pos);
      const isObject = b === 0x7b;
      stack.push({
        kind: isObject ? OBJECT : ARRAY,
        state: isObject ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END,
        index: 0,
      });
      if (!isObject) path[stack.length - 1] = 0;
      pos++;
      continue;
    }
    if (b === QUOTE) {
      const { value, end, escaped } = readString();
      onString({ start: pos, end, value, isKey: false, escaped, path });
      if (stack.length === 1 && top!.kind === OBJECT && onTopLevelScalar) onTopLevelScalar(pendingKey, value);
      pos = end;
      valueDone();
      continue;
    }
    const scalar = readScalar();
    if (stack.length === 1 && top!.kind === OBJECT && onTopLevelScalar) onTopLevelScalar(pendingKey, scalar);
    valueDone();
  }
  if (!rootDone) throw new JsonSyntaxError('unexpected end of JSON', pos);
}
