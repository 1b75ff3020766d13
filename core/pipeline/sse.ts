/**
 * Incremental Server-Sent Events reader (the WHATWG event-stream grammar): feeds `data` payloads of
 * complete events to a callback. Used on the side of a response that streams to the client untouched, so
 * it bounds what it holds: an event larger than `maxEventBytes` is dropped.
 */
export class SseReader {
  private readonly decoder = new TextDecoder();
  private pending = '';
  private data: string[] = [];
  private dataSize = 0;

  constructor(
    private readonly onEvent: (data: string) => void,
    private readonly maxEventBytes = 1 << 20,
  ) {}

  push(chunk: Uint8Array): void {
    this.consume(this.decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    this.consume(this.decoder.decode());
    if (this.pending !== '') this.line(this.pending);
    this.pending = '';
    this.dispatch();
  }

  private consume(text: string): void {
    let buffer = this.pending + text;
    let start = 0;
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      const cr = buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (lf === -1 && cr === -1) break;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A lone CR at the very end may be the first half of CRLF: wait for more.
        if (cr === buffer.length - 1) break;
        end = cr;
        next = buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.line(buffer.slice(start, end));
      start = next;
    }
    buffer = buffer.slice(start);
    // A line that never ends is not an event we can use; do not hold more than the cap.
    this.pending = buffer.length > this.maxEventBytes ? '' : buffer;
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith('data:')) {
      const value = line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5);
      this.dataSize += value.length;
      if (this.dataSize <= this.maxEventBytes) this.data.push(value);
    }
    // `event:`, `id:`, `retry:` and comments carry nothing the tap needs.
  }

  private dispatch(): void {
    if (this.data.length > 0 && this.dataSize <= this.maxEventBytes) this.onEvent(this.data.join('\n'));
    this.data = [];
    this.dataSize = 0;
  }
}

/** Newline-delimited JSON (Ollama streams): one message per line. */
export class LineReader {
  private readonly decoder = new TextDecoder();
  private pending = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes = 1 << 20,
  ) {}

  push(chunk: Uint8Array): void {
    const text = this.pending + this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl).trim();
      if (line !== '') this.onLine(line);
      start = nl + 1;
    }
    const rest = text.slice(start);
    this.pending = rest.length > this.maxLineBytes ? '' : rest;
  }

  end(): void {
    const line = (this.pending + this.decoder.decode()).trim();
    this.pending = '';
    if (line !== '') this.onLine(line);
  }
}

/** One complete SSE event as it came, with the fields a rewriter needs. */
export interface RawSseEvent {
  /** The event's text exactly as received, blank line included. */
  readonly raw: string;
  /** Its lines other than `data:` (`event:`, `id:`, comments), kept when the event is rewritten. */
  readonly otherLines: readonly string[];
  readonly event: string | undefined;
  /** `data:` lines joined with `\n`; `undefined` when the event has none. */
  readonly data: string | undefined;
}

/**
 * Cuts a decoded event stream into complete events, keeping each one's raw text so that events nothing
 * changes go out byte for byte. Unlike SseReader it never drops anything: what is not yet a complete event
 * stays in `pending` until the next chunk or the end.
 */
export class SseEventSplitter {
  private pending = '';
  /** Whether `pending` starts at the stream's first character (where a byte-order mark is skipped). */
  private atStart = true;

  /** Complete events in `text` (appended to what was pending). */
  push(text: string, out: RawSseEvent[]): void {
    const buffer = this.pending === '' ? text : this.pending + text;
    let eventStart = 0;
    // A leading byte-order mark is no part of the first line (it stays in that event's raw text).
    let lineStart = this.atStart && buffer.charCodeAt(0) === 0xfeff ? 1 : 0;
    let otherLines: string[] = [];
    let event: string | undefined;
    let data: string | undefined;
    for (;;) {
      const lf = buffer.indexOf('\n', lineStart);
      const cr = buffer.indexOf('\r', lineStart);
      if (lf === -1 && cr === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A lone CR at the very end may be the first half of CRLF: wait for more.
        if (cr === buffer.length - 1) break;
        end = cr;
        next = buffer.charCodeAt(cr + 1) === 0x0a ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      if (end === lineStart) {
        out.push({ raw: buffer.slice(eventStart, next), otherLines, event, data });
        eventStart = next;
        otherLines = [];
        event = undefined;
        data = undefined;
      } else {
        const line = buffer.slice(lineStart, end);
        if (line.startsWith('data:')) {
          const value = line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5);
          data = data === undefined ? value : `${data}\n${value}`;
        } else {
          if (line.startsWith('event:')) event = line.slice(line.charCodeAt(6) === 0x20 ? 7 : 6);
          otherLines.push(line);
        }
      }
      lineStart = next;
    }
    if (eventStart !== 0) this.atStart = false;
    this.pending = eventStart === 0 ? buffer : buffer.slice(eventStart);
  }

  /** Characters of the unfinished event held so far. */
  get pendingLength(): number {
    return this.pending.length;
  }

  /** What is pending, exactly as received, no longer to be split (its reader gave up on the stream). */
  rest(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  /**
   * The stream ended: the event it left without its closing blank line, read as if that line had come;
   * `raw` is what was received (no blank line added). `undefined` when nothing is pending.
   */
  end(): RawSseEvent | undefined {
    const rest = this.rest();
    if (rest === '') return undefined;
    const events: RawSseEvent[] = [];
    // Enough to end any unfinished line and the event: `rest` holds no blank line, so the first event
    // spans all of it (a second one, if any, is made of the added line ends alone).
    this.push(`${rest}\n\n`, events);
    this.pending = '';
    return { ...events[0]!, raw: rest };
  }
}
