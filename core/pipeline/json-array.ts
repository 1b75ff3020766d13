/**
 * Cuts a JSON array that arrives over time (Gemini `streamGenerateContent` without `alt=sse`) into its
 * elements as each one completes, keeping every byte between them. Only objects and arrays are expected
 * as elements; anything else ends the splitting (the caller then passes the rest through).
 */

export interface ArrayElement {
  /** What came before the element since the previous one: `[`, `,`, whitespace. */
  readonly prefix: string;
  /** The element's JSON text. */
  readonly text: string;
}

const OUTSIDE = 0;
const INSIDE = 1;
const BROKEN = 2;

export class JsonArraySplitter {
  private pending = '';
  /** How far `pending` has been read. */
  private scanned = 0;
  private state = OUTSIDE;
  private opened = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Index in `pending` where the current element starts. */
  private elementStart = 0;
  /** Elements seen so far. */
  elements = 0;

  /** Whether the input stopped looking like an array of objects. */
  get broken(): boolean {
    return this.state === BROKEN;
  }

  get pendingLength(): number {
    return this.pending.length;
  }

  push(text: string, out: ArrayElement[]): void {
    if (this.state === BROKEN) return;
    const buffer = this.pending + text;
    let consumed = 0;
    let i = this.scanned;
    for (; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (this.state === INSIDE) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 0x5c) this.escaped = true;
          else if (c === 0x22) this.inString = false;
          continue;
        }
        if (c === 0x22) this.inString = true;
        else if (c === 0x7b || c === 0x5b) this.depth++;
        else if ((c === 0x7d || c === 0x5d) && --this.depth === 0) {
          out.push({
            prefix: buffer.slice(consumed, this.elementStart),
            text: buffer.slice(this.elementStart, i + 1),
          });
          this.elements++;
          consumed = i + 1;
          this.state = OUTSIDE;
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (!this.opened) {
        if (c !== 0x5b) return this.break(buffer);
        this.opened = true;
        continue;
      }
      if (c === 0x2c || c === 0x5d) continue;
      if (c !== 0x7b && c !== 0x5b) return this.break(buffer);
      this.state = INSIDE;
      this.depth = 1;
      this.elementStart = i;
    }
    this.pending = buffer.slice(consumed);
    this.scanned = i - consumed;
    this.elementStart -= consumed;
  }

  /** What is left: separators, the closing `]`, an unfinished element. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    this.scanned = 0;
    return rest;
  }

  private break(buffer: string): void {
    this.pending = buffer;
    this.state = BROKEN;
  }
}
