/**
 * A local fake LLM provider over real TLS. It records every request byte for byte and answers in each
 * provider's wire format, streaming when asked. A stream can be gated: the first event goes out at once,
 * the rest waits for `releaseStreams()`, so a test can prove the client saw event one before upstream
 * finished.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { TestPki } from './test-pki.js';
import { echoAnswer, echoFormatOf, geminiArrayChunks, lastUserText } from './echo.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The TLS SNI the client sent. */
  servername: string | false;
}

export interface FakeProvider {
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** Chunks per stream (default 5). */
  streamEvents: number;
  /** Pause after each streamed event, so a stream lasts about events x this (default 2 ms). */
  eventDelayMs: number;
  /** Hold streams after their first event until `releaseStreams()`. */
  gateStreams: boolean;
  releaseStreams(): void;
  /** Resolves when a gated stream has written its first event. */
  firstEventSent(): Promise<void>;
  /** Whether a stream is still open upstream. */
  streamsOpen: number;
  /** Wait this long before answering any request (0: answer at once). */
  holdMs: number;
  /** Send a 103 Early Hints before each response. */
  earlyHints: boolean;
  /** Answer chat requests by echoing the last user message, streamed 1 to 3 characters per event (./echo.ts). */
  echo: boolean;
  /** Requests whose client went away before the answer was sent. */
  readonly cancelled: number;
  close(): Promise<void>;
}

function json(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startFakeProvider(pki: TestPki): Promise<FakeProvider> {
  let release!: () => void;
  let released = new Promise<void>((r) => (release = r));
  let firstSent!: () => void;
  let firstSentPromise = new Promise<void>((r) => (firstSent = r));

  let gated = false;
  // The provider object is the fake's state: tests set its knobs, handlers read them.
  const provider: { -readonly [K in keyof FakeProvider]: FakeProvider[K] } = {
    origin: '',
    port: 0,
    requests: [],
    streamEvents: 5,
    eventDelayMs: 2,
    streamsOpen: 0,
    holdMs: 0,
    earlyHints: false,
    echo: false,
    cancelled: 0,
    get gateStreams() {
      return gated;
    },
    set gateStreams(v) {
      gated = v;
      if (v) {
        released = new Promise<void>((r) => (release = r));
        firstSentPromise = new Promise<void>((r) => (firstSent = r));
      }
    },
    releaseStreams: () => release(),
    firstEventSent: () => firstSentPromise,
    close: () =>
      new Promise<void>((resolve) => {
        release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const stream = async (
    res: ServerResponse,
    events: string[],
    contentType = 'text/event-stream',
  ): Promise<void> => {
    provider.streamsOpen++;
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
    for (let i = 0; i < events.length; i++) {
      res.write(events[i]);
      if (i === 0) {
        firstSent();
        if (provider.gateStreams) await released;
      }
      await new Promise((r) => setTimeout(r, provider.eventDelayMs));
    }
    provider.streamsOpen--;
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const url = req.url ?? '/';
    if (provider.earlyHints) res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
    if (provider.holdMs > 0) {
      let gone = false;
      res.once('close', () => {
        if (!res.writableFinished) gone = true;
      });
      await new Promise((r) => setTimeout(r, provider.holdMs));
      if (gone) {
        provider.cancelled++;
        return;
      }
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      // not JSON: answer generically
    }
    const n = provider.streamEvents;
    const streamed = parsed.stream === true || url.includes(':streamGenerateContent');
    const echoFormat = provider.echo ? echoFormatOf(url) : undefined;
    if (echoFormat !== undefined) {
      const answer = echoAnswer(echoFormat, lastUserText(echoFormat, parsed), {
        // Ollama streams unless told not to.
        stream: echoFormat === 'ollama' ? parsed.stream !== false : streamed,
        tool: Array.isArray(parsed.tools) && parsed.tools.length > 0,
      });
      if (answer.events !== undefined && echoFormat === 'gemini' && !url.includes('alt=sse')) {
        await stream(res, geminiArrayChunks(answer.events), 'application/json');
      } else if (answer.events !== undefined) {
        await stream(res, answer.events, echoFormat === 'ollama' ? 'application/x-ndjson' : undefined);
      } else {
        json(res, answer.json);
      }
      return;
    }
    if (url.endsWith('/chat/completions')) {
      if (streamed) {
        const events = Array.from(
          { length: n },
          (_, i) =>
            `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'gpt-fake', choices: [{ index: 0, delta: { content: `part${i} ` } }] })}\n\n`,
        );
        events.push(
          `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'gpt-fake', choices: [], usage: { prompt_tokens: 11, completion_tokens: n, total_tokens: 11 + n } })}\n\n`,
        );
        events.push('data: [DONE]\n\n');
        await stream(res, events);
        return;
      }
      json(res, {
        id: 'c1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-fake',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'hello from fake' }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
      });
      return;
    }
    if (url.endsWith('/v1/messages')) {
      if (streamed) {
        const ev = (type: string, data: unknown): string =>
          `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
        const events = [
          ev('message_start', {
            type: 'message_start',
            message: {
              id: 'm1',
              type: 'message',
              role: 'assistant',
              model: 'claude-fake',
              content: [],
              stop_reason: null,
              stop_sequence: null,
              usage: { input_tokens: 9, output_tokens: 1 },
            },
          }),
          ev('content_block_start', {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'text', text: '' },
          }),
          ...Array.from({ length: n }, (_, i) =>
            ev('content_block_delta', {
              type: 'content_block_delta',
              index: 0,
              delta: { type: 'text_delta', text: `part${i} ` },
            }),
          ),
          ev('content_block_stop', { type: 'content_block_stop', index: 0 }),
          ev('message_delta', {
            type: 'message_delta',
            delta: { stop_reason: 'end_turn', stop_sequence: null },
            usage: { output_tokens: n },
          }),
          ev('message_stop', { type: 'message_stop' }),
        ];
        await stream(res, events);
        return;
      }
      json(res, {
        id: 'm1',
        type: 'message',
        role: 'assistant',
        model: 'claude-fake',
        content: [{ type: 'text', text: 'hello from fake' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 9, output_tokens: 3 },
      });
      return;
    }
    if (url.includes(':generateContent') || url.includes(':streamGenerateContent')) {
      const message = (text: string) => ({
        candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0 }],
        usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 2 },
        modelVersion: 'gemini-fake',
      });
      if (streamed) {
        await stream(
          res,
          Array.from({ length: n }, (_, i) => `data: ${JSON.stringify(message(`part${i} `))}\r\n\r\n`),
        );
        return;
      }
      json(res, message('hello from fake'));
      return;
    }
    if (url.endsWith('/responses')) {
      json(res, {
        id: 'r1',
        object: 'response',
        created_at: 1,
        model: 'gpt-fake',
        status: 'completed',
        output: [
          {
            type: 'message',
            id: 'o1',
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'hello from fake', annotations: [] }],
          },
        ],
        usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 },
      });
      return;
    }
    if (url.endsWith('/embeddings')) {
      json(res, {
        object: 'list',
        model: 'emb-fake',
        data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
        usage: { prompt_tokens: 4, total_tokens: 4 },
      });
      return;
    }
    if (url.endsWith('/completions')) {
      json(res, {
        id: 'x1',
        object: 'text_completion',
        created: 1,
        model: 'gpt-fake',
        choices: [{ text: 'hello', index: 0, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
      });
      return;
    }
    if (url.startsWith('/api/chat')) {
      json(res, {
        model: 'llama-fake',
        message: { role: 'assistant', content: 'hello' },
        done: true,
        prompt_eval_count: 6,
        eval_count: 2,
      });
      return;
    }
    json(res, { ok: true, echo: url });
  };

  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem, keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      provider.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        servername: (req.socket as TLSSocket).servername ?? false,
      });
      void handle(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  provider.port = port;
  provider.origin = `https://127.0.0.1:${port}`;
  return provider;
}
