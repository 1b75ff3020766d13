/**
 * Restoring stand-ins in streamed answers, one provider wire format at a time. Pure: the pipeline cuts the
 * response into messages (SSE events) and hands each one's `event` name and `data` here; a rewriter says
 * what to send instead.
 *
 * Each streamed text (one choice's content, one content block, one tool call's arguments, ...) is a
 * channel with its own StreamRestorer, so a stand-in split across any number of events comes out once,
 * in the event that completes it. Text a restorer holds back (a possible stand-in opening) is sent as soon
 * as the next event on its channel shows it is not one; when a channel ends (finish reason, block stop,
 * `.done` event, end of stream) whatever it still holds goes out in the ending event when that carries the
 * channel's text, or else in a delta event of the channel's own shape sent just before it. Events that
 * nothing changed keep their exact bytes; changed ones are re-serialized with every other member as it
 * came. Complete objects (a finished output item, `response.completed`, a tool_use start, a Gemini
 * function call) have every string restored in place.
 */
import type { ApiKind } from '../providers/index.js';
import { contextForPath } from './fields.js';
import { StreamRestorer, mayHoldStandIn, restoreText, type Context, type Lookup } from './restore.js';

export interface SseMessage {
  /** The SSE `event:` name, if the format uses one. */
  readonly event: string | undefined;
  readonly data: string;
}

export interface Rewritten {
  /** Messages to send before this one: held-back text that turned out not to be a stand-in. */
  readonly before: readonly SseMessage[];
  /** This message's new data, or `undefined` to send it exactly as it came. */
  readonly data: string | undefined;
}

export interface MessageRewriter {
  message(event: string | undefined, data: string): Rewritten;
  /** The stream ended: messages carrying whatever is still held. */
  end(): SseMessage[];
}

export interface RewriterOptions {
  readonly lookup: Lookup;
  /** Restore stand-ins in tool-call arguments too (config `detect.pseudonyms.restoreToolArguments`). */
  readonly restoreToolArguments: boolean;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UNCHANGED: Rewritten = Object.freeze({ before: Object.freeze([]), data: undefined });

function parseObject(data: string): JsonObject | undefined {
  try {
    const value = JSON.parse(data) as unknown;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Restores every string in a complete value, in place (keys are left alone), each as `contextForPath`
 * says for its key path (`path` is where `container` sits in the message). Returns whether anything
 * changed.
 */
export function restoreDeep(
  container: JsonObject | unknown[],
  options: RewriterOptions,
  path: (string | number)[] = [],
): boolean {
  if (path.length > 64) return false;
  let changed = false;
  const visit = (key: string | number, value: unknown, set: (v: string) => void): void => {
    path.push(key);
    if (typeof value === 'string') {
      const context = contextForPath(path, options.restoreToolArguments);
      const restored = context === undefined ? value : restoreText(value, options.lookup, context);
      if (restored !== value) {
        set(restored);
        changed = true;
      }
    } else if (typeof value === 'object' && value !== null) {
      if (restoreDeep(value as JsonObject | unknown[], options, path)) changed = true;
    }
    path.pop();
  };
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) visit(i, container[i], (v) => (container[i] = v));
  } else {
    for (const key of Object.keys(container)) visit(key, container[key], (v) => (container[key] = v));
  }
  return changed;
}

interface Channel {
  readonly restorer: StreamRestorer;
  readonly group: string;
  /** A message of the channel's own shape carrying `held`. */
  readonly synth: (held: string) => SseMessage;
}

/** The open channels of one stream. */
class Channels {
  private readonly open = new Map<string, Channel>();

  constructor(private readonly lookup: Lookup) {}

  get holding(): boolean {
    for (const channel of this.open.values()) if (channel.restorer.holding) return true;
    return false;
  }

  /** Pushes `piece` through the channel `key` (opened on first use). */
  push(
    key: string,
    group: string,
    context: Context,
    synth: (held: string) => SseMessage,
    piece: string,
  ): string {
    let channel = this.open.get(key);
    if (channel === undefined) {
      channel = { restorer: new StreamRestorer(this.lookup, context), group, synth };
      this.open.set(key, channel);
    }
    return channel.restorer.push(piece);
  }

  /**
   * Ends the channels of `group` (every channel when `group` is undefined). Held text goes to
   * `appendTo.get(key)` when the ending message carries that channel, else into a synthesized message.
   */
  finish(
    group: string | undefined,
    appendTo?: ReadonlyMap<string, (held: string) => void>,
  ): { before: SseMessage[]; appended: boolean } {
    const before: SseMessage[] = [];
    let appended = false;
    for (const [key, channel] of this.open) {
      if (group !== undefined && channel.group !== group) continue;
      this.open.delete(key);
      const held = channel.restorer.flush();
      if (held === '') continue;
      const append = appendTo?.get(key);
      if (append !== undefined) {
        append(held);
        appended = true;
      } else {
        before.push(channel.synth(held));
      }
    }
    return { before, appended };
  }
}

/** OpenAI chat completions (and legacy completions): `choices[].delta.content`, tool-call arguments, `text`. */
class OpenAiChatRewriter implements MessageRewriter {
  private readonly channels: Channels;
  private template: JsonObject = { object: 'chat.completion.chunk' };

  constructor(private readonly options: RewriterOptions) {
    this.channels = new Channels(options.lookup);
  }

  message(_event: string | undefined, data: string): Rewritten {
    if (data === '[DONE]') {
      const { before } = this.channels.finish(undefined);
      return before.length === 0 ? UNCHANGED : { before, data: undefined };
    }
    if (!this.channels.holding && !mayHoldStandIn(data)) return UNCHANGED;
    const message = parseObject(data);
    if (message === undefined || !Array.isArray(message.choices)) return UNCHANGED;
    this.template = {
      id: message.id,
      object: message.object ?? 'chat.completion.chunk',
      created: message.created,
      model: message.model,
    };
    let changed = false;
    const before: SseMessage[] = [];
    message.choices.forEach((choice: unknown, position) => {
      if (!isObject(choice)) return;
      const index = typeof choice.index === 'number' ? choice.index : position;
      const group = String(index);
      const appendTo = new Map<string, (held: string) => void>();
      const push = (
        key: string,
        context: Context,
        synth: (held: string) => JsonObject,
        target: JsonObject,
        field: string,
      ): void => {
        const piece = target[field];
        if (typeof piece !== 'string') return;
        const out = this.channels.push(key, group, context, (held) => this.chunk(index, synth(held)), piece);
        if (out !== piece) {
          target[field] = out;
          changed = true;
        }
        appendTo.set(key, (held) => (target[field] = (target[field] as string) + held));
      };
      const delta = choice.delta;
      if (isObject(delta)) {
        for (const field of ['content', 'refusal', 'reasoning_content', 'reasoning']) {
          push(`${index}:${field}`, 'text', (held) => ({ delta: { [field]: held } }), delta, field);
        }
        if (this.options.restoreToolArguments) {
          if (Array.isArray(delta.tool_calls)) {
            delta.tool_calls.forEach((call: unknown, callPosition) => {
              if (!isObject(call) || !isObject(call.function)) return;
              const callIndex = typeof call.index === 'number' ? call.index : callPosition;
              push(
                `${index}:tool:${callIndex}`,
                'json',
                (held) => ({ delta: { tool_calls: [{ index: callIndex, function: { arguments: held } }] } }),
                call.function,
                'arguments',
              );
            });
          }
          if (isObject(delta.function_call)) {
            push(
              `${index}:function_call`,
              'json',
              (held) => ({ delta: { function_call: { arguments: held } } }),
              delta.function_call,
              'arguments',
            );
          }
        }
      }
      push(`${index}:text`, 'text', (held) => ({ text: held }), choice, 'text');
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        const finished = this.channels.finish(group, appendTo);
        before.push(...finished.before);
        if (finished.appended) changed = true;
      }
    });
    if (!changed && before.length === 0) return UNCHANGED;
    return { before, data: changed ? JSON.stringify(message) : undefined };
  }

  end(): SseMessage[] {
    return this.channels.finish(undefined).before;
  }

  private chunk(index: number, choice: JsonObject): SseMessage {
    const data = { ...this.template, choices: [{ index, ...choice, finish_reason: null }] };
    return { event: undefined, data: JSON.stringify(data) };
  }
}

interface ResponsesDelta {
  readonly prefix: string;
  /** The member that tells parts of one item apart. */
  readonly part: string | undefined;
  readonly context: Context;
  readonly tool: boolean;
  /** The `.done` event that ends the channel, and its full-text member. */
  readonly done: string;
  readonly doneField: string;
}

const RESPONSES_DELTAS: ReadonlyMap<string, ResponsesDelta> = new Map([
  [
    'response.output_text.delta',
    {
      prefix: 't',
      part: 'content_index',
      context: 'text',
      tool: false,
      done: 'response.output_text.done',
      doneField: 'text',
    },
  ],
  [
    'response.refusal.delta',
    {
      prefix: 'r',
      part: 'content_index',
      context: 'text',
      tool: false,
      done: 'response.refusal.done',
      doneField: 'refusal',
    },
  ],
  [
    'response.reasoning_summary_text.delta',
    {
      prefix: 's',
      part: 'summary_index',
      context: 'text',
      tool: false,
      done: 'response.reasoning_summary_text.done',
      doneField: 'text',
    },
  ],
  [
    'response.reasoning_text.delta',
    {
      prefix: 'x',
      part: 'content_index',
      context: 'text',
      tool: false,
      done: 'response.reasoning_text.done',
      doneField: 'text',
    },
  ],
  [
    'response.custom_tool_call_input.delta',
    {
      prefix: 'c',
      part: undefined,
      context: 'text',
      tool: true,
      done: 'response.custom_tool_call_input.done',
      doneField: 'input',
    },
  ],
  [
    'response.function_call_arguments.delta',
    {
      prefix: 'a',
      part: undefined,
      context: 'json',
      tool: true,
      done: 'response.function_call_arguments.done',
      doneField: 'arguments',
    },
  ],
]);

const RESPONSES_DONE: ReadonlyMap<string, [string, ResponsesDelta]> = new Map(
  [...RESPONSES_DELTAS].map(([type, delta]) => [delta.done, [type, delta]]),
);

function channelKey(delta: ResponsesDelta, message: JsonObject): string {
  const part = delta.part === undefined ? '' : String(message[delta.part]);
  return `${delta.prefix}:${String(message.item_id)}:${String(message.output_index)}:${part}`;
}

/** OpenAI Responses API: `response.*.delta` events per item and part, `.done` events with the full text. */
class ResponsesRewriter implements MessageRewriter {
  private readonly channels: Channels;

  constructor(private readonly options: RewriterOptions) {
    this.channels = new Channels(options.lookup);
  }

  message(_event: string | undefined, data: string): Rewritten {
    if (!this.channels.holding && !mayHoldStandIn(data)) return UNCHANGED;
    const message = parseObject(data);
    if (message === undefined || typeof message.type !== 'string') return UNCHANGED;
    const type = message.type;
    const delta = RESPONSES_DELTAS.get(type);
    if (delta !== undefined) {
      if ((delta.tool && !this.options.restoreToolArguments) || typeof message.delta !== 'string')
        return UNCHANGED;
      const key = channelKey(delta, message);
      const synth = (held: string): SseMessage => ({
        event: type,
        data: JSON.stringify({ ...message, delta: held }),
      });
      const out = this.channels.push(key, key, delta.context, synth, message.delta);
      if (out === message.delta) return UNCHANGED;
      message.delta = out;
      return { before: [], data: JSON.stringify(message) };
    }
    const done = RESPONSES_DONE.get(type);
    let before: SseMessage[] = [];
    if (done !== undefined) before = this.channels.finish(channelKey(done[1], message)).before;
    if (type === 'response.completed' || type === 'response.failed' || type === 'response.incomplete') {
      before.push(...this.channels.finish(undefined).before);
    }
    const changed = restoreDeep(message, this.options);
    if (!changed && before.length === 0) return UNCHANGED;
    return { before, data: changed ? JSON.stringify(message) : undefined };
  }

  end(): SseMessage[] {
    return this.channels.finish(undefined).before;
  }
}

interface AnthropicDelta {
  readonly suffix: string;
  readonly field: string;
  readonly context: Context;
  readonly tool: boolean;
}

const ANTHROPIC_DELTAS: ReadonlyMap<string, AnthropicDelta> = new Map([
  ['text_delta', { suffix: 't', field: 'text', context: 'text', tool: false }],
  ['input_json_delta', { suffix: 'j', field: 'partial_json', context: 'json', tool: true }],
]);

/**
 * Anthropic messages: `content_block_delta` per block index, ended by `content_block_stop`. Thinking is
 * signed, so `thinking_delta` and thinking blocks pass as they came (`isSignedThinking`).
 */
class AnthropicRewriter implements MessageRewriter {
  private readonly channels: Channels;

  constructor(private readonly options: RewriterOptions) {
    this.channels = new Channels(options.lookup);
  }

  message(_event: string | undefined, data: string): Rewritten {
    if (!this.channels.holding && !mayHoldStandIn(data)) return UNCHANGED;
    const message = parseObject(data);
    if (message === undefined) return UNCHANGED;
    const type = message.type;
    if (type === 'content_block_delta' && isObject(message.delta)) {
      const delta = message.delta;
      const kind = typeof delta.type === 'string' ? ANTHROPIC_DELTAS.get(delta.type) : undefined;
      if (kind !== undefined) {
        const piece = delta[kind.field];
        if ((kind.tool && !this.options.restoreToolArguments) || typeof piece !== 'string') return UNCHANGED;
        const index = String(message.index);
        const synth = (held: string): SseMessage => ({
          event: 'content_block_delta',
          data: JSON.stringify({ ...message, delta: { type: delta.type, [kind.field]: held } }),
        });
        const out = this.channels.push(`${index}:${kind.suffix}`, index, kind.context, synth, piece);
        if (out === piece) return UNCHANGED;
        delta[kind.field] = out;
        return { before: [], data: JSON.stringify(message) };
      }
    }
    let before: SseMessage[] = [];
    if (type === 'content_block_stop') before = this.channels.finish(String(message.index)).before;
    else if (type === 'message_stop' || type === 'message_delta' || type === 'error')
      before = this.channels.finish(undefined).before;
    const changed = restoreDeep(message, this.options);
    if (!changed && before.length === 0) return UNCHANGED;
    return { before, data: changed ? JSON.stringify(message) : undefined };
  }

  end(): SseMessage[] {
    return this.channels.finish(undefined).before;
  }
}

/** Gemini `streamGenerateContent?alt=sse`: each event a response whose candidates' text parts are deltas. */
class GeminiRewriter implements MessageRewriter {
  private readonly channels: Channels;

  constructor(private readonly options: RewriterOptions) {
    this.channels = new Channels(options.lookup);
  }

  message(_event: string | undefined, data: string): Rewritten {
    if (!this.channels.holding && !mayHoldStandIn(data)) return UNCHANGED;
    const message = parseObject(data);
    if (message === undefined) return UNCHANGED;
    let changed = false;
    const before: SseMessage[] = [];
    const candidates = Array.isArray(message.candidates) ? message.candidates : [];
    candidates.forEach((candidate: unknown, position) => {
      if (!isObject(candidate)) return;
      const index = typeof candidate.index === 'number' ? candidate.index : position;
      const group = String(index);
      const appendTo = new Map<string, (held: string) => void>();
      const parts = isObject(candidate.content) ? candidate.content.parts : undefined;
      if (Array.isArray(parts)) {
        for (const part of parts) {
          if (!isObject(part)) continue;
          if (typeof part.text !== 'string') {
            if (restoreDeep(part, this.options)) changed = true;
            continue;
          }
          const thought = part.thought === true;
          const key = `${index}:${thought ? 'thought' : 'text'}`;
          const synth = (held: string): SseMessage => ({
            event: undefined,
            data: JSON.stringify({
              candidates: [
                {
                  content: { role: 'model', parts: [thought ? { text: held, thought } : { text: held }] },
                  index,
                },
              ],
            }),
          });
          const piece = part.text;
          const out = this.channels.push(key, group, 'text', synth, piece);
          if (out !== piece) {
            part.text = out;
            changed = true;
          }
          appendTo.set(key, (held) => (part.text = (part.text as string) + held));
        }
      }
      if (typeof candidate.finishReason === 'string') {
        const finished = this.channels.finish(group, appendTo);
        before.push(...finished.before);
        if (finished.appended) changed = true;
      }
    });
    if (!changed && before.length === 0) return UNCHANGED;
    return { before, data: changed ? JSON.stringify(message) : undefined };
  }

  end(): SseMessage[] {
    return this.channels.finish(undefined).before;
  }
}

/** Ollama's NDJSON streams: `message.content` / `message.thinking` (chat) or `response` (generate) per line. */
class OllamaRewriter implements MessageRewriter {
  private readonly channels: Channels;
  private template: JsonObject = {};

  constructor(private readonly options: RewriterOptions) {
    this.channels = new Channels(options.lookup);
  }

  message(_event: string | undefined, data: string): Rewritten {
    if (!this.channels.holding && !mayHoldStandIn(data)) return UNCHANGED;
    const message = parseObject(data);
    if (message === undefined) return UNCHANGED;
    this.template = { model: message.model, created_at: message.created_at };
    let changed = false;
    const appendTo = new Map<string, (held: string) => void>();
    const push = (target: JsonObject, field: string, synth: (held: string) => JsonObject): void => {
      const piece = target[field];
      if (typeof piece !== 'string') return;
      const out = this.channels.push(
        field,
        '',
        'text',
        (held) => ({
          event: undefined,
          data: JSON.stringify({ ...this.template, ...synth(held), done: false }),
        }),
        piece,
      );
      if (out !== piece) {
        target[field] = out;
        changed = true;
      }
      appendTo.set(field, (held) => (target[field] = (target[field] as string) + held));
    };
    if (isObject(message.message)) {
      const inner = message.message;
      for (const field of ['content', 'thinking']) {
        push(inner, field, (held) => ({ message: { role: 'assistant', [field]: held } }));
      }
      if (
        Array.isArray(inner.tool_calls) &&
        restoreDeep(inner.tool_calls, this.options, ['message', 'tool_calls'])
      )
        changed = true;
    }
    push(message, 'response', (held) => ({ response: held }));
    let before: SseMessage[] = [];
    if (message.done === true) {
      const finished = this.channels.finish(undefined, appendTo);
      before = finished.before;
      if (finished.appended) changed = true;
    }
    if (!changed && before.length === 0) return UNCHANGED;
    return { before, data: changed ? JSON.stringify(message) : undefined };
  }

  end(): SseMessage[] {
    return this.channels.finish(undefined).before;
  }
}

/** Any other stream: every string of each event restored on its own (no text spans events). */
class WholeMessageRewriter implements MessageRewriter {
  constructor(private readonly options: RewriterOptions) {}

  message(_event: string | undefined, data: string): Rewritten {
    if (!mayHoldStandIn(data)) return UNCHANGED;
    const message = parseObject(data);
    if (message === undefined) return UNCHANGED;
    return restoreDeep(message, this.options) ? { before: [], data: JSON.stringify(message) } : UNCHANGED;
  }

  end(): SseMessage[] {
    return [];
  }
}

/** The rewriter for a stream of `api`. */
export function messageRewriter(api: ApiKind, options: RewriterOptions): MessageRewriter {
  switch (api) {
    case 'openai-chat':
    case 'openai-completions':
      return new OpenAiChatRewriter(options);
    case 'openai-responses':
      return new ResponsesRewriter(options);
    case 'anthropic-messages':
      return new AnthropicRewriter(options);
    case 'gemini-generate':
      return new GeminiRewriter(options);
    case 'ollama-chat':
    case 'ollama-generate':
      return new OllamaRewriter(options);
    default:
      return new WholeMessageRewriter(options);
  }
}
