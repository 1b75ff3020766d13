/**
 * Reads responses on the side, never holding them back, to record model, status and token usage. The
 * client receives every chunk the moment upstream sends it; the tap parses a copy.
 */
import type { Adapter, ResponseFacts } from '../providers/index.js';
import { contentEncoding, createDecompressor } from './decode.js';
import { LineReader, SseReader } from './sse.js';
import {
  PassThroughHandler,
  type Dispatch,
  type Exchange,
  type ResponseHandler,
  type Stage,
  type StreamController,
} from './types.js';

/** JSON bodies larger than this are not parsed for usage (the response still streams in full). */
const MAX_JSON_BYTES = 8 << 20;

interface MessageSink {
  push(chunk: Buffer): void;
  end(): void;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

class JsonAccumulator implements MessageSink {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly onMessage: (message: unknown) => void) {}
  push(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size <= MAX_JSON_BYTES) this.chunks.push(chunk);
    else this.chunks = [];
  }
  end(): void {
    if (this.size > MAX_JSON_BYTES) return;
    const value = parseJson(Buffer.concat(this.chunks).toString('utf8'));
    // Gemini's streamGenerateContent without alt=sse answers with a JSON array of messages.
    if (Array.isArray(value)) for (const item of value) this.onMessage(item);
    else if (value !== undefined) this.onMessage(value);
  }
}

function messageSink(contentType: string, onMessage: (message: unknown) => void): MessageSink {
  if (contentType.includes('text/event-stream')) {
    return new SseReader((data) => {
      if (data !== '[DONE]') {
        const message = parseJson(data);
        if (message !== undefined) onMessage(message);
      }
    });
  }
  if (contentType.includes('ndjson')) {
    return new LineReader((line) => {
      const message = parseJson(line);
      if (message !== undefined) onMessage(message);
    });
  }
  return new JsonAccumulator(onMessage);
}

class TapHandler extends PassThroughHandler {
  private sink: MessageSink | undefined;
  private inflater: ReturnType<typeof createDecompressor>;
  /** Resolves the inflater's entry in `exchange.settled`, however the inflater ends. */
  private settleInflater: (() => void) | undefined;

  constructor(
    inner: ResponseHandler,
    private readonly exchange: Exchange,
    private readonly adapter: Pick<Adapter, 'responseFacts'>,
  ) {
    super(inner);
  }

  override onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void {
    this.exchange.status = status;
    const contentType = String(headers['content-type'] ?? '').toLowerCase();
    const isJsonish = contentType.includes('json') || contentType.includes('event-stream');
    if (isJsonish) {
      const sink = messageSink(contentType, (message) => this.record(this.adapter.responseFacts(message)));
      const encoding = contentEncoding(headers);
      if (encoding === 'identity') {
        this.sink = sink;
      } else {
        const inflater = createDecompressor(encoding);
        if (inflater !== undefined) {
          inflater.on('data', (chunk: Buffer) => sink.push(chunk));
          this.exchange.settled.push(
            new Promise<void>((resolve) => {
              this.settleInflater = resolve;
              inflater.once('end', () => {
                sink.end();
                resolve();
              });
              // A corrupt stream only costs us the usage figures; the client gets the bytes as sent.
              inflater.once('error', () => resolve());
            }),
          );
          this.inflater = inflater;
        }
      }
    }
    super.onResponseStart(controller, status, headers);
  }

  override onResponseData(controller: StreamController, chunk: Buffer): void {
    this.exchange.responseBytes += chunk.length;
    super.onResponseData(controller, chunk);
    if (this.inflater !== undefined) this.inflater.write(chunk);
    else if (this.sink !== undefined) this.sink.push(chunk);
  }

  override onResponseEnd(controller: StreamController): void {
    // Registered before the outer handlers see the end, so the audit stage waits for the last facts.
    if (this.inflater !== undefined) {
      this.inflater.end();
    } else if (this.sink !== undefined) {
      // The client's response is written when this tick ends; parse what is left after that, not before.
      const sink = this.sink;
      this.exchange.settled.push(new Promise<void>((resolve) => setImmediate(() => resolve(sink.end()))));
    }
    super.onResponseEnd(controller);
  }

  override onResponseError(controller: StreamController | undefined, error: Error): void {
    // destroy() emits neither 'end' nor 'error': settle here, or the exchange would never be audited.
    this.inflater?.destroy();
    this.settleInflater?.();
    super.onResponseError(controller, error);
  }

  private record(facts: ResponseFacts): void {
    if (facts.model !== undefined) this.exchange.responseModel = facts.model;
    if (facts.usage !== undefined) {
      const usage = (this.exchange.usage ??= {});
      if (facts.usage.inputTokens !== undefined) usage.inputTokens = facts.usage.inputTokens;
      if (facts.usage.outputTokens !== undefined) usage.outputTokens = facts.usage.outputTokens;
    }
  }
}

export function tapStage(): Stage {
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    const adapter = exchange.match?.adapter;
    next(exchange, adapter === undefined ? handler : new TapHandler(handler, exchange, adapter));
  };
}
