/**
 * Puts originals back in answers: where the provider's response quotes a stand-in the scan stage issued,
 * the client gets the original value, locally. Sits between the scan stage and the tap, so the tap still
 * reads the provider's own bytes (usage, model) and the provider never sees an original.
 *
 * - Event streams: cut into events; each event goes out as soon as it is complete, rewritten only when a
 *   stand-in (or held-back text) is in it; only text that could be the start of a stand-in is held (see
 *   core/pseudonym/streams.ts). A partial event is held until its blank line (no SDK can use it before);
 *   one the stream ends without its blank line is restored like any other.
 * - Gemini streams without `alt=sse` (one JSON array arriving over time) and NDJSON streams (Ollama): cut
 *   into elements or lines, each sent as soon as it is complete, restored as an SSE event would be.
 * - JSON bodies: gathered (a client cannot use half a JSON document either), then every string with a
 *   stand-in in it is rewritten in place and every other byte is kept.
 * - Answers that match no provider API (an organisation's backend, an unknown path) are restored too:
 *   JSON bodies as above, stream messages each as a whole (see `messageRewriter`'s generic case).
 * - Fail safe: anything this stage cannot read (compressed despite `accept-encoding: identity`, too
 *   large, malformed, not UTF-8) and everything after a failure while restoring passes through as it
 *   came: the client then sees stand-ins, and the provider never saw the originals anyway. Streams are
 *   decoded strictly (a byte-order mark stays text), so every byte the stage does not rewrite reaches the
 *   client exactly; once restoring stops, the rest of the stream is not decoded at all.
 *
 * Costs nothing while the vault is empty (no request has been pseudonymized, or all entries expired).
 */
import { TextDecoder } from 'node:util';
import {
  contextForPath,
  mayHoldStandIn,
  messageRewriter,
  restoreText,
  type MessageRewriter,
  type PseudonymVault,
  type RewriterOptions,
  type SseMessage,
} from '../pseudonym/index.js';
import { JsonArraySplitter, type ArrayElement } from './json-array.js';
import { walkJson } from './json-walk.js';
import { SseEventSplitter, type RawSseEvent } from './sse.js';
import {
  PassThroughHandler,
  type Dispatch,
  type Exchange,
  type ResponseHandler,
  type Stage,
  type StreamController,
} from './types.js';
import { contentEncoding } from './decode.js';

export interface RestoreStageOptions {
  readonly vault: PseudonymVault;
  /** Restore stand-ins in tool-call arguments too, so local agents act on the real values. */
  readonly restoreToolArguments: boolean;
  /** The clock for the vault's expiry (default `Date.now`). */
  readonly now?: () => number;
}

/** JSON bodies larger than this pass through as they came. */
const MAX_JSON_BYTES = 16 << 20;
/** An unfinished SSE event (or array element) larger than this ends restoring for the stream. */
const MAX_PENDING_EVENT_CHARS = 4 << 20;

type Mode = 'off' | 'sse' | 'array' | 'lines' | 'json';

/**
 * How many bytes at the end of `bytes` begin a UTF-8 sequence that they do not finish (0 to 3): those wait
 * for the next chunk. Invalid bytes are not judged here; the strict decoder refuses them.
 */
function cutSequenceLength(bytes: Buffer): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return n - i < length ? n - i : 0;
  }
  return 0;
}

function serialize(message: SseMessage, otherLines?: readonly string[]): string {
  let out = '';
  if (otherLines !== undefined) for (const line of otherLines) out += `${line}\n`;
  else if (message.event !== undefined) out += `event: ${message.event}\n`;
  return `${out}data: ${message.data}\n\n`;
}

class RestoreHandler extends PassThroughHandler {
  private mode: Mode = 'off';
  private rewriter: MessageRewriter | undefined;
  private splitter: SseEventSplitter | undefined;
  private array: JsonArraySplitter | undefined;
  private readonly elements: ArrayElement[] = [];
  /** Strict: a stream that is not UTF-8 is not restored, and a byte-order mark is kept as text. */
  private decoder: TextDecoder | undefined;
  /** The start of a UTF-8 sequence that the last chunk cut, waiting for the rest. */
  private carry: Buffer | undefined;
  private readonly events: RawSseEvent[] = [];
  private chunks: Buffer[] = [];
  private size = 0;
  private failed = false;
  private pendingLine = '';

  constructor(
    inner: ResponseHandler,
    private readonly exchange: Exchange,
    private readonly options: RewriterOptions,
  ) {
    super(inner);
  }

  override onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void {
    const contentType = String(headers['content-type'] ?? '').toLowerCase();
    const bodiless = this.exchange.method === 'HEAD' || status === 204 || status === 304;
    const api = this.exchange.match?.api ?? 'generic-json';
    if (!bodiless && contentEncoding(headers) === 'identity') {
      if (contentType.includes('text/event-stream')) this.mode = 'sse';
      else if (contentType.includes('ndjson')) this.mode = 'lines';
      else if (contentType.includes('json')) {
        if (!this.exchange.facts.stream || status >= 400) this.mode = 'json';
        // Gemini streams without alt=sse: one JSON array whose elements arrive over time.
        else if (api === 'gemini-generate') this.mode = 'array';
      }
    }
    if (this.mode === 'sse' || this.mode === 'lines' || this.mode === 'array') {
      if (this.mode === 'sse') this.splitter = new SseEventSplitter();
      else if (this.mode === 'array') this.array = new JsonArraySplitter();
      this.decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      this.rewriter = messageRewriter(api, this.options);
    }
    if (this.mode !== 'off' && headers['content-length'] !== undefined) {
      // Restored values change the length: the client gets the body chunked instead.
      const { 'content-length': _dropped, ...rest } = headers;
      headers = rest;
    }
    super.onResponseStart(controller, status, headers);
  }

  override onResponseData(controller: StreamController, chunk: Buffer): void {
    if (this.decoder !== undefined) {
      const bytes = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
      const cut = cutSequenceLength(bytes);
      let text: string;
      try {
        text = this.decoder.decode(cut === 0 ? bytes : bytes.subarray(0, bytes.length - cut));
      } catch {
        // Not UTF-8: what is held goes out, then these bytes and the rest of the stream as they come.
        this.send(controller, this.stop(), bytes);
        return;
      }
      if (cut !== 0) this.carry = Buffer.from(bytes.subarray(bytes.length - cut));
      const out = this.rewriteText(text);
      if (this.decoder === undefined) {
        // Restoring stopped: the cut sequence goes on as bytes, like everything after it.
        this.send(controller, out, this.carry);
        this.carry = undefined;
      } else this.send(controller, out);
      return;
    }
    if (this.mode === 'json') {
      this.size += chunk.length;
      this.chunks.push(chunk);
      if (this.size > MAX_JSON_BYTES) this.passThrough(controller);
      return;
    }
    super.onResponseData(controller, chunk);
  }

  override onResponseEnd(controller: StreamController): void {
    if (this.decoder !== undefined) {
      const carry = this.carry;
      this.carry = undefined;
      // A stream that ends inside a UTF-8 sequence is not UTF-8 either: its last bytes go as they came.
      if (carry !== undefined) this.send(controller, this.stop(), carry);
      else if (this.mode === 'sse') this.send(controller, this.endEvents());
      else if (this.mode === 'array') this.send(controller, this.endArray());
      else this.send(controller, this.endLines());
    } else if (this.mode === 'json') {
      const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      this.chunks = [];
      let out = body;
      try {
        out = this.restoreJson(body);
      } catch {
        // Malformed or unexpected: the client gets the body as the provider sent it.
      }
      if (out.length > 0) super.onResponseData(controller, out);
    }
    this.mode = 'off';
    super.onResponseEnd(controller);
  }

  /** Decoded text of a stream in, what to send now out. */
  private rewriteText(text: string): string {
    switch (this.mode) {
      case 'sse':
        return this.rewriteEvents(text);
      case 'array':
        return this.rewriteElements(text);
      default:
        return this.rewriteLines(text);
    }
  }

  /** Sends restored text, then bytes as they came. */
  private send(controller: StreamController, text: string, bytes?: Buffer): void {
    if (text !== '') super.onResponseData(controller, Buffer.from(text, 'utf8'));
    if (bytes !== undefined && bytes.length > 0) super.onResponseData(controller, bytes);
  }

  /**
   * Restoring ends for this stream: returns what is held (the rewriter's held text, then the unfinished
   * event, line or array rest as received); every later byte passes through undecoded.
   */
  private stop(): string {
    let out: string;
    if (this.mode === 'sse') out = this.frame(this.endRewriter()) + this.splitter!.rest();
    else if (this.mode === 'array') out = this.frame(this.endRewriter(), true) + this.array!.end();
    else {
      out = this.frame(this.endRewriter()) + this.pendingLine;
      this.pendingLine = '';
    }
    this.mode = 'off';
    this.decoder = undefined;
    return out;
  }

  /** NDJSON: each complete line is one message. Never throws. */
  private rewriteLines(text: string): string {
    const buffer = this.pendingLine + text;
    let out = '';
    let start = 0;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
      const line = buffer.slice(start, nl + 1);
      start = nl + 1;
      const data = line.trim();
      out += data === '' ? line : this.rewrite(undefined, data, line);
    }
    this.pendingLine = buffer.slice(start);
    if (this.pendingLine.length > MAX_PENDING_EVENT_CHARS) out += this.stop();
    return out;
  }

  /** The last line (if it had no newline) through the rewriter, then what the rewriter still holds. */
  private endLines(): string {
    const rest = this.pendingLine;
    this.pendingLine = '';
    if (rest.trim() === '') return rest + this.frame(this.endRewriter());
    let out = this.rewriteLines(`${rest}\n`);
    // Give the line back without the newline it did not have.
    if (out.endsWith('\n')) out = out.slice(0, -1);
    const held = this.frame(this.endRewriter());
    return held === '' ? out : `${out}\n${held.slice(0, -1)}`;
  }

  /** Cuts `text` into events and returns what to send now. Never throws: a failure ends restoring. */
  private rewriteEvents(text: string): string {
    const events = this.events;
    events.length = 0;
    this.splitter!.push(text, events);
    let out = '';
    for (const event of events) {
      out += event.data === undefined ? event.raw : this.rewrite(event, event.data, event.raw);
    }
    if (this.splitter!.pendingLength > MAX_PENDING_EVENT_CHARS) {
      // An event this large is no chat delta: stop restoring rather than hold it.
      out += this.stop();
    }
    return out;
  }

  /**
   * The last event, if the stream ended without its blank line, through the rewriter like any other (it
   * may complete a stand-in), then what the rewriter still holds.
   */
  private endEvents(): string {
    const last = this.splitter!.end();
    let out = '';
    if (last !== undefined)
      out = last.data === undefined ? last.raw : this.rewrite(last, last.data, last.raw);
    return out + this.frame(this.endRewriter());
  }

  /** Cuts `text` into array elements and returns what to send now. Never throws. */
  private rewriteElements(text: string): string {
    const array = this.array!;
    const elements = this.elements;
    elements.length = 0;
    array.push(text, elements);
    let out = '';
    for (const element of elements)
      out += element.prefix + this.rewrite(undefined, element.text, element.text);
    if (array.broken || array.pendingLength > MAX_PENDING_EVENT_CHARS) {
      // Not an array of objects after all, or an element too large to hold: the rest passes through.
      out += this.stop();
    }
    return out;
  }

  /** The rest of an array stream, with what the rewriter still holds as elements before its `]`. */
  private endArray(): string {
    const held = this.frame(this.endRewriter(), true);
    const rest = this.array!.end();
    const close = rest.lastIndexOf(']');
    return close === -1 ? held + rest : rest.slice(0, close) + held + rest.slice(close);
  }

  /**
   * One message through the rewriter: what to send for it, held text that turned out not to be a stand-in
   * first; `raw` when the message itself is unchanged. Never throws: a failure ends restoring, and what
   * the rewriter holds goes out, then this message and all later ones as they came.
   */
  private rewrite(event: RawSseEvent | undefined, data: string, raw: string): string {
    if (this.failed) return raw;
    try {
      const rewritten = this.rewriter!.message(event?.event, data);
      let out = this.frame(rewritten.before);
      if (rewritten.data === undefined) out += raw;
      else if (event !== undefined)
        out += serialize({ event: event.event, data: rewritten.data }, event.otherLines);
      else out += this.mode === 'lines' ? `${rewritten.data}\n` : rewritten.data;
      return out;
    } catch {
      this.failed = true;
      return this.frame(this.endRewriter()) + raw;
    }
  }

  /** The rewriter ended: the messages it still held; none if it fails now. */
  private endRewriter(): readonly SseMessage[] {
    try {
      return this.rewriter!.end();
    } catch {
      this.failed = true;
      return [];
    }
  }

  /**
   * Messages the rewriter adds, framed as the stream frames its own: SSE events, NDJSON lines, or array
   * elements (each followed by a comma when they go before an element, preceded by one `after` it).
   */
  private frame(messages: readonly SseMessage[], after = false): string {
    let out = '';
    for (const message of messages) {
      if (this.mode === 'sse') out += serialize(message);
      else if (this.mode === 'lines') out += `${message.data}\n`;
      else out += after ? `,${message.data}` : `${message.data},`;
    }
    return out;
  }

  private passThrough(controller: StreamController): void {
    const chunks = this.chunks;
    this.chunks = [];
    this.mode = 'off';
    for (const chunk of chunks) super.onResponseData(controller, chunk);
  }

  /** Rewrites the strings of a JSON body that hold stand-ins; the body itself when there are none. */
  private restoreJson(body: Buffer): Buffer {
    if (!mayHoldStandIn(body)) return body;
    const edits: { start: number; end: number; text: string }[] = [];
    walkJson(body, {
      maxDepth: 256,
      onString: (visit) => {
        if (visit.isKey) return;
        const context = contextForPath(visit.path, this.options.restoreToolArguments);
        if (context === undefined) return;
        const restored = restoreText(visit.value, this.options.lookup, context);
        if (restored !== visit.value)
          edits.push({ start: visit.start, end: visit.end, text: JSON.stringify(restored) });
      },
    });
    if (edits.length === 0) return body;
    const parts: Buffer[] = [];
    let cursor = 0;
    for (const edit of edits) {
      parts.push(body.subarray(cursor, edit.start), Buffer.from(edit.text, 'utf8'));
      cursor = edit.end;
    }
    parts.push(body.subarray(cursor));
    return Buffer.concat(parts);
  }
}

/**
 * Restores originals in responses: from providers, and from the organisation's own backends
 * (`identity.audiences`) and any other intercepted host, whose requests are pseudonymized too. Answers of
 * an API no adapter knows are restored generically: every string of a JSON body, every string of each
 * SSE event or NDJSON line on its own (a stand-in split across messages stays as it is). While the vault
 * holds anything, asks upstream for an uncompressed response (a compressed one could only be restored by
 * decompressing and compressing again).
 */
export function restoreStage(options: RestoreStageOptions): Stage {
  const now = options.now ?? Date.now;
  const rewriterOptions: RewriterOptions = {
    lookup: (standIn) => options.vault.original(standIn, now()),
    restoreToolArguments: options.restoreToolArguments,
  };
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    if (options.vault.size(now()) === 0) {
      next(exchange, handler);
      return;
    }
    exchange.headers['accept-encoding'] = 'identity';
    next(exchange, new RestoreHandler(handler, exchange, rewriterOptions));
  };
}
