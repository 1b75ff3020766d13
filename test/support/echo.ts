/**
 * The echoing fake model: answers with the text of the last user message, in each provider's wire format,
 * streamed in tiny pieces. With `tools` in the request it also calls the first tool with `{"text": <the
 * same text>}`, its arguments streamed in pieces too. Used by the fake provider (`provider.echo`) and, with
 * random pieces, by the property test.
 */

export type EchoFormat = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'ollama';

export interface EchoAnswer {
  /** SSE events (each a complete `data:` event, blank line included; NDJSON lines for Ollama), or a JSON body. */
  readonly events?: string[];
  readonly json?: unknown;
}

type Json = Record<string, unknown>;

/** Cuts `text` into pieces of `sizes()` code points (1 to 3 by default, in a fixed rotation). */
export function pieces(text: string, size: () => number = rotation([1, 3, 2, 2, 1, 3, 1])): string[] {
  const points = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < points.length;) {
    const n = Math.max(1, size());
    out.push(points.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

function rotation(sizes: readonly number[]): () => number {
  let i = 0;
  return () => sizes[i++ % sizes.length]!;
}

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
const named = (event: string, value: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && typeof (part as Json).text === 'string'
          ? ((part as Json).text as string)
          : '',
      )
      .join('');
  }
  return '';
}

/** The last user message's text in a request body of `format`. */
export function lastUserText(format: EchoFormat, body: Json): string {
  if (format === 'gemini') {
    const contents = Array.isArray(body.contents) ? (body.contents as Json[]) : [];
    const last = contents.filter((c) => c.role !== 'model').at(-1);
    return textOf(last?.parts);
  }
  if (format === 'openai-responses' && typeof body.input === 'string') return body.input;
  const list = (format === 'openai-responses' ? body.input : body.messages) as Json[] | undefined;
  const last = (Array.isArray(list) ? list : []).filter((m) => m.role === 'user').at(-1);
  return textOf(last?.content);
}

export interface EchoOptions {
  readonly stream: boolean;
  /** Also answer with a tool call whose arguments are `{"text": text}`. */
  readonly tool: boolean;
  /** Piece sizes (default: 1 to 3 code points). */
  readonly size?: () => number;
}

/** The answer of the echoing model for `text` in `format`. */
export function echoAnswer(format: EchoFormat, text: string, options: EchoOptions): EchoAnswer {
  const args = JSON.stringify({ text });
  const cut = (s: string): string[] => pieces(s, options.size);
  switch (format) {
    case 'openai-chat': {
      const base = { id: 'e1', object: 'chat.completion.chunk', created: 1, model: 'echo' };
      if (!options.stream) {
        const message: Json = { role: 'assistant', content: text };
        if (options.tool)
          message.tool_calls = [
            { id: 'call_1', type: 'function', function: { name: 'echo', arguments: args } },
          ];
        return {
          json: {
            id: 'e1',
            object: 'chat.completion',
            created: 1,
            model: 'echo',
            choices: [{ index: 0, message, finish_reason: options.tool ? 'tool_calls' : 'stop' }],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          },
        };
      }
      const chunk = (delta: Json, finish: string | null = null): string =>
        data({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
      const events = [chunk({ role: 'assistant', content: '' })];
      for (const piece of cut(text)) events.push(chunk({ content: piece }));
      if (options.tool) {
        events.push(
          chunk({
            tool_calls: [
              { index: 0, id: 'call_1', type: 'function', function: { name: 'echo', arguments: '' } },
            ],
          }),
        );
        for (const piece of cut(args))
          events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
      }
      events.push(chunk({}, options.tool ? 'tool_calls' : 'stop'), 'data: [DONE]\n\n');
      return { events };
    }
    case 'openai-responses': {
      const message = {
        type: 'message',
        id: 'msg_1',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [] }],
      };
      const call = {
        type: 'function_call',
        id: 'fc_1',
        call_id: 'call_1',
        name: 'echo',
        arguments: args,
        status: 'completed',
      };
      const output = options.tool ? [message, call] : [message];
      const response = (status: string, out: unknown[]): Json => ({
        id: 'resp_1',
        object: 'response',
        created_at: 1,
        model: 'echo',
        status,
        output: out,
        usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
      });
      if (!options.stream) return { json: response('completed', output) };
      let seq = 0;
      const ev = (value: Json): string => named(value.type as string, { ...value, sequence_number: seq++ });
      const events = [
        ev({ type: 'response.created', response: response('in_progress', []) }),
        ev({
          type: 'response.output_item.added',
          output_index: 0,
          item: { ...message, status: 'in_progress', content: [] },
        }),
        ev({
          type: 'response.content_part.added',
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          part: { type: 'output_text', text: '', annotations: [] },
        }),
      ];
      for (const piece of cut(text)) {
        events.push(
          ev({
            type: 'response.output_text.delta',
            item_id: 'msg_1',
            output_index: 0,
            content_index: 0,
            delta: piece,
            logprobs: [],
          }),
        );
      }
      events.push(
        ev({
          type: 'response.output_text.done',
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          text,
          logprobs: [],
        }),
        ev({
          type: 'response.content_part.done',
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          part: { type: 'output_text', text, annotations: [] },
        }),
        ev({ type: 'response.output_item.done', output_index: 0, item: message }),
      );
      if (options.tool) {
        events.push(
          ev({
            type: 'response.output_item.added',
            output_index: 1,
            item: { ...call, arguments: '', status: 'in_progress' },
          }),
        );
        for (const piece of cut(args)) {
          events.push(
            ev({
              type: 'response.function_call_arguments.delta',
              item_id: 'fc_1',
              output_index: 1,
              delta: piece,
            }),
          );
        }
        events.push(
          ev({
            type: 'response.function_call_arguments.done',
            item_id: 'fc_1',
            output_index: 1,
            arguments: args,
          }),
          ev({ type: 'response.output_item.done', output_index: 1, item: call }),
        );
      }
      events.push(ev({ type: 'response.completed', response: response('completed', output) }));
      return { events };
    }
    case 'anthropic': {
      const content: Json[] = [{ type: 'text', text }];
      if (options.tool) content.push({ type: 'tool_use', id: 'toolu_1', name: 'echo', input: { text } });
      const usage = { input_tokens: 1, output_tokens: 1 };
      if (!options.stream) {
        return {
          json: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'echo',
            content,
            stop_reason: options.tool ? 'tool_use' : 'end_turn',
            stop_sequence: null,
            usage,
          },
        };
      }
      const events = [
        named('message_start', {
          type: 'message_start',
          message: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'echo',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage,
          },
        }),
        named('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'text', text: '' },
        }),
      ];
      for (const piece of cut(text)) {
        events.push(
          named('content_block_delta', {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: piece },
          }),
        );
      }
      events.push(named('content_block_stop', { type: 'content_block_stop', index: 0 }));
      if (options.tool) {
        events.push(
          named('content_block_start', {
            type: 'content_block_start',
            index: 1,
            content_block: { type: 'tool_use', id: 'toolu_1', name: 'echo', input: {} },
          }),
        );
        for (const piece of cut(args)) {
          events.push(
            named('content_block_delta', {
              type: 'content_block_delta',
              index: 1,
              delta: { type: 'input_json_delta', partial_json: piece },
            }),
          );
        }
        events.push(named('content_block_stop', { type: 'content_block_stop', index: 1 }));
      }
      events.push(
        named('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: options.tool ? 'tool_use' : 'end_turn', stop_sequence: null },
          usage: { output_tokens: 1 },
        }),
        named('message_stop', { type: 'message_stop' }),
      );
      return { events };
    }
    case 'ollama': {
      const message = (content: string, done: boolean, toolCalls?: Json[]): Json => ({
        model: 'echo',
        created_at: '2026-01-01T00:00:00Z',
        message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        done,
      });
      const calls = options.tool ? [{ function: { name: 'echo', arguments: { text } } }] : undefined;
      if (!options.stream) return { json: message(text, true, calls) };
      const line = (value: Json): string => `${JSON.stringify(value)}\n`;
      const events = cut(text).map((piece) => line(message(piece, false)));
      if (calls) events.push(line(message('', false, calls)));
      events.push(line(message('', true)));
      return { events };
    }
    case 'gemini': {
      const message = (parts: Json[], finish?: string): Json => ({
        candidates: [
          { content: { role: 'model', parts }, index: 0, ...(finish ? { finishReason: finish } : {}) },
        ],
        modelVersion: 'echo',
      });
      const call = { functionCall: { name: 'echo', args: { text } } };
      if (!options.stream) return { json: message(options.tool ? [{ text }, call] : [{ text }], 'STOP') };
      const all = cut(text);
      const events = all.map((piece, i) =>
        data(message([{ text: piece }], i === all.length - 1 && !options.tool ? 'STOP' : undefined)),
      );
      if (options.tool) events.push(data(message([call], 'STOP')));
      return { events };
    }
  }
}

/** The format of a request to the fake provider, by its path. */
export function echoFormatOf(url: string): EchoFormat | undefined {
  if (url.endsWith('/chat/completions')) return 'openai-chat';
  if (url.endsWith('/responses')) return 'openai-responses';
  if (url.endsWith('/v1/messages')) return 'anthropic';
  if (url.includes(':generateContent') || url.includes(':streamGenerateContent')) return 'gemini';
  if (url.startsWith('/api/chat')) return 'ollama';
  return undefined;
}

/**
 * The same Gemini answer as `streamGenerateContent` sends it without `alt=sse`: one JSON array, its
 * elements arriving one by one (as chunks: `[` with the first element, then `,\r\n` with each next one).
 */
export function geminiArrayChunks(events: readonly string[]): string[] {
  const elements = events.map((e) => e.slice('data: '.length).trimEnd());
  const chunks = elements.map((element, i) => `${i === 0 ? '[' : ',\r\n'}${element}`);
  chunks.push(elements.length === 0 ? '[]' : ']');
  return chunks;
}
