import { describe, it, expect } from 'vitest';
import {
  ADAPTERS,
  matchProvider,
  responseFraming,
  type Adapter,
  type ResponseFacts,
} from '../../core/providers/index.js';

function adapter(host: string, url: string): Adapter {
  const match = matchProvider(host, url);
  if (match === undefined) throw new Error(`no provider for ${host}${url}`);
  return match.adapter;
}

/** The JSON messages of an SSE stream (`data:` lines; `[DONE]` dropped). */
function sse(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as unknown);
}

function ndjson(text: string): unknown[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

/** What the pipeline does: later messages' defined fields overwrite earlier ones. */
function fold(a: Adapter, messages: readonly unknown[]): ResponseFacts {
  let model: string | undefined;
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  for (const message of messages) {
    const facts = a.responseFacts(message);
    model = facts.model ?? model;
    inputTokens = facts.usage?.inputTokens ?? inputTokens;
    outputTokens = facts.usage?.outputTokens ?? outputTokens;
  }
  const out: ResponseFacts = {};
  if (model !== undefined) out.model = model;
  if (inputTokens !== undefined || outputTokens !== undefined) {
    out.usage = {};
    if (inputTokens !== undefined) out.usage.inputTokens = inputTokens;
    if (outputTokens !== undefined) out.usage.outputTokens = outputTokens;
  }
  return out;
}

const OPENAI_CHAT_SSE = `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1730000000,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1730000000,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1730000000,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1730000000,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}}

data: [DONE]
`;

const RESPONSES_SSE = `event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-4.1-2025-04-14","output":[],"usage":null}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}

event: response.completed
data: {"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","object":"response","status":"completed","model":"gpt-4.1-2025-04-14","output":[],"usage":{"input_tokens":37,"input_tokens_details":{"cached_tokens":0},"output_tokens":11,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":48}}}
`;

const ANTHROPIC_SSE = `event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

event: message_stop
data: {"type":"message_stop"}
`;

const GEMINI_SSE = `data: {"candidates":[{"content":{"parts":[{"text":"The"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":1,"totalTokenCount":9},"modelVersion":"gemini-2.0-flash-001","responseId":"abc"}

data: {"candidates":[{"content":{"parts":[{"text":" answer is 4."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":7,"totalTokenCount":15,"promptTokensDetails":[{"modality":"TEXT","tokenCount":8}]},"modelVersion":"gemini-2.0-flash-001","responseId":"abc"}
`;

const GEMINI_ARRAY = `[{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"}}],"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5},"modelVersion":"gemini-1.5-pro-002"}
,
{"candidates":[{"content":{"parts":[{"text":" there"}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":8},"modelVersion":"gemini-1.5-pro-002"}
]`;

const OLLAMA_NDJSON = `{"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"The"},"done":false}
{"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":" sky"},"done":false}
{"model":"llama3.2","created_at":"2025-01-01T00:00:01Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}
`;

describe('facts from whole JSON responses', () => {
  it.each([
    [
      'OpenAI chat completion',
      'api.openai.com',
      '/v1/chat/completions',
      {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o-2024-08-06',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
      },
      { model: 'gpt-4o-2024-08-06', usage: { inputTokens: 12, outputTokens: 3 } },
    ],
    [
      'OpenAI embeddings',
      'api.openai.com',
      '/v1/embeddings',
      {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 5, total_tokens: 5 },
      },
      { model: 'text-embedding-3-small', usage: { inputTokens: 5 } },
    ],
    [
      'OpenAI legacy completion',
      'api.openai.com',
      '/v1/completions',
      {
        id: 'cmpl-1',
        object: 'text_completion',
        model: 'gpt-3.5-turbo-instruct',
        choices: [{ text: 'ok', index: 0 }],
        usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
      },
      { model: 'gpt-3.5-turbo-instruct', usage: { inputTokens: 4, outputTokens: 1 } },
    ],
    [
      'OpenAI Responses',
      'api.openai.com',
      '/v1/responses',
      {
        id: 'resp_1',
        object: 'response',
        status: 'completed',
        model: 'gpt-4.1-2025-04-14',
        output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] }],
        usage: { input_tokens: 36, output_tokens: 87, total_tokens: 123 },
      },
      { model: 'gpt-4.1-2025-04-14', usage: { inputTokens: 36, outputTokens: 87 } },
    ],
    [
      'Azure deployment chat completion',
      'contoso.openai.azure.com',
      '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
      {
        object: 'chat.completion',
        model: 'gpt-4o-2024-11-20',
        choices: [],
        usage: { prompt_tokens: 9, completion_tokens: 2 },
      },
      { model: 'gpt-4o-2024-11-20', usage: { inputTokens: 9, outputTokens: 2 } },
    ],
    [
      'Anthropic message',
      'api.anthropic.com',
      '/v1/messages',
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [{ type: 'text', text: 'Hi' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 2095, output_tokens: 503 },
      },
      { model: 'claude-sonnet-4-5-20250929', usage: { inputTokens: 2095, outputTokens: 503 } },
    ],
    [
      'Anthropic message with prompt caching counts cached input too',
      'api.anthropic.com',
      '/v1/messages',
      {
        type: 'message',
        model: 'claude-sonnet-4-5-20250929',
        usage: {
          input_tokens: 10,
          cache_creation_input_tokens: 1000,
          cache_read_input_tokens: 2000,
          output_tokens: 50,
        },
      },
      { model: 'claude-sonnet-4-5-20250929', usage: { inputTokens: 3010, outputTokens: 50 } },
    ],
    [
      'Anthropic count_tokens says nothing about usage',
      'api.anthropic.com',
      '/v1/messages/count_tokens',
      { input_tokens: 14 },
      {},
    ],
    [
      'Gemini generateContent',
      'generativelanguage.googleapis.com',
      '/v1beta/models/gemini-2.0-flash:generateContent',
      {
        candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 9, totalTokenCount: 13 },
        modelVersion: 'gemini-2.0-flash-001',
      },
      { model: 'gemini-2.0-flash-001', usage: { inputTokens: 4, outputTokens: 9 } },
    ],
    [
      'Gemini thinking model counts thoughts as output',
      'generativelanguage.googleapis.com',
      '/v1beta/models/gemini-2.5-pro:generateContent',
      {
        candidates: [],
        usageMetadata: {
          promptTokenCount: 10,
          candidatesTokenCount: 20,
          thoughtsTokenCount: 300,
          totalTokenCount: 330,
        },
        modelVersion: 'gemini-2.5-pro',
      },
      { model: 'gemini-2.5-pro', usage: { inputTokens: 10, outputTokens: 320 } },
    ],
    [
      'Gemini countTokens says nothing about usage',
      'generativelanguage.googleapis.com',
      '/v1beta/models/gemini-2.0-flash:countTokens',
      { totalTokens: 31 },
      {},
    ],
    [
      'Ollama chat with stream false',
      '127.0.0.1:11434',
      '/api/chat',
      {
        model: 'llama3.2',
        message: { role: 'assistant', content: 'Hi' },
        done: true,
        prompt_eval_count: 26,
        eval_count: 298,
      },
      { model: 'llama3.2', usage: { inputTokens: 26, outputTokens: 298 } },
    ],
    [
      'Ollama embed',
      'localhost:11434',
      '/api/embed',
      { model: 'all-minilm', embeddings: [[0.01, -0.02]], total_duration: 14143917, prompt_eval_count: 8 },
      { model: 'all-minilm', usage: { inputTokens: 8 } },
    ],
    [
      'an unknown provider path with an OpenAI-style usage',
      'api.openai.com',
      '/v1/audio/transcriptions',
      { text: 'hello', usage: { type: 'tokens', input_tokens: 14, output_tokens: 45 } },
      { usage: { inputTokens: 14, outputTokens: 45 } },
    ],
  ] as const)('reads model and usage from a %s', (_title, host, url, body, expected) => {
    expect(adapter(host, url).responseFacts(body)).toEqual(expected);
  });
});

describe('facts from streamed messages', () => {
  it('reads the model from every OpenAI chat chunk and usage from the last one', () => {
    const a = adapter('api.openai.com', '/v1/chat/completions');
    const messages = sse(OPENAI_CHAT_SSE);
    expect(a.responseFacts(messages[1])).toEqual({ model: 'gpt-4o-2024-08-06' });
    expect(fold(a, messages)).toEqual({
      model: 'gpt-4o-2024-08-06',
      usage: { inputTokens: 19, outputTokens: 10 },
    });
  });

  it('reads Groq usage from x_groq in the last chunk', () => {
    const a = adapter('api.groq.com', '/openai/v1/chat/completions');
    const last = {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      model: 'llama-3.3-70b-versatile',
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      x_groq: { id: 'req_1', usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } },
    };
    expect(a.responseFacts(last)).toEqual({
      model: 'llama-3.3-70b-versatile',
      usage: { inputTokens: 40, outputTokens: 12 },
    });
  });

  it('reads the Responses API model from response.created and usage from response.completed', () => {
    const a = adapter('api.openai.com', '/v1/responses');
    const messages = sse(RESPONSES_SSE);
    expect(a.responseFacts(messages[0])).toEqual({ model: 'gpt-4.1-2025-04-14' });
    expect(a.responseFacts(messages[1])).toEqual({});
    expect(fold(a, messages)).toEqual({
      model: 'gpt-4.1-2025-04-14',
      usage: { inputTokens: 37, outputTokens: 11 },
    });
  });

  it('reads Anthropic input tokens from message_start and output tokens from message_delta', () => {
    const a = adapter('api.anthropic.com', '/v1/messages');
    const messages = sse(ANTHROPIC_SSE);
    expect(a.responseFacts(messages[0])).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      usage: { inputTokens: 25, outputTokens: 1 },
    });
    expect(a.responseFacts(messages[3])).toEqual({});
    expect(a.responseFacts(messages[5])).toEqual({ usage: { outputTokens: 15 } });
    expect(fold(a, messages)).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      usage: { inputTokens: 25, outputTokens: 15 },
    });
  });

  it('reads Gemini usage from the last SSE chunk', () => {
    const a = adapter(
      'generativelanguage.googleapis.com',
      '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
    );
    expect(fold(a, sse(GEMINI_SSE))).toEqual({
      model: 'gemini-2.0-flash-001',
      usage: { inputTokens: 8, outputTokens: 7 },
    });
  });

  it('reads Gemini streamed-array elements one by one, or the whole array at once', () => {
    const a = adapter('generativelanguage.googleapis.com', '/v1/models/gemini-1.5-pro:streamGenerateContent');
    const elements = JSON.parse(GEMINI_ARRAY) as unknown[];
    expect(a.responseFacts(elements[0])).toEqual({ model: 'gemini-1.5-pro-002', usage: { inputTokens: 5 } });
    const expected = { model: 'gemini-1.5-pro-002', usage: { inputTokens: 5, outputTokens: 3 } };
    expect(fold(a, elements)).toEqual(expected);
    expect(a.responseFacts(elements)).toEqual(expected);
  });

  it('reads Ollama counts from the final NDJSON line', () => {
    const a = adapter('127.0.0.1:11434', '/api/chat');
    const lines = ndjson(OLLAMA_NDJSON);
    expect(a.responseFacts(lines[0])).toEqual({ model: 'llama3.2' });
    expect(fold(a, lines)).toEqual({ model: 'llama3.2', usage: { inputTokens: 26, outputTokens: 282 } });
  });
});

describe('odd response messages', () => {
  const odd: unknown[] = [
    null,
    undefined,
    0,
    'data',
    true,
    [],
    [null, 1, 'x'],
    {},
    { usage: null },
    { usage: 'many' },
    { usage: { prompt_tokens: '12', completion_tokens: -1, input_tokens: NaN, output_tokens: Infinity } },
    { model: 42, modelVersion: {}, usageMetadata: [] },
    { type: 'message_start', message: null },
    { type: 'message_start', message: { usage: { input_tokens: 'x' } } },
    { type: 'response.completed', response: 'done' },
    { response: { usage: { input_tokens: 1 } } },
    { prompt_eval_count: null, eval_count: '3' },
    Object.create(null) as unknown,
  ];

  it('never throws and reports only well-formed facts', () => {
    for (const a of ADAPTERS.values()) {
      for (const message of odd) {
        const facts = a.responseFacts(message);
        expect(typeof facts).toBe('object');
        if (facts.model !== undefined) expect(typeof facts.model).toBe('string');
        for (const count of [facts.usage?.inputTokens, facts.usage?.outputTokens]) {
          if (count !== undefined) expect(Number.isFinite(count) && count >= 0).toBe(true);
        }
      }
    }
  });

  it('survives a message whose members throw when read', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    for (const a of ADAPTERS.values()) expect(a.responseFacts(hostile)).toEqual({});
  });
});

describe('response framing', () => {
  it.each([
    ['openai-chat', '/v1/chat/completions', true, 'sse'],
    ['openai-chat', '/v1/chat/completions', false, 'json'],
    ['openai-responses', '/v1/responses', true, 'sse'],
    ['anthropic-messages', '/v1/messages', true, 'sse'],
    ['gemini-generate', '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse', true, 'sse'],
    ['gemini-generate', '/v1beta/models/gemini-2.0-flash:streamGenerateContent?key=k&alt=sse', true, 'sse'],
    ['gemini-generate', '/v1beta/models/gemini-2.0-flash:streamGenerateContent', true, 'json-array'],
    ['gemini-generate', '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=json', true, 'json-array'],
    ['gemini-generate', '/v1beta/models/gemini-2.0-flash:generateContent', false, 'json'],
    ['ollama-chat', '/api/chat', true, 'ndjson'],
    ['ollama-generate', '/api/generate', false, 'json'],
  ] as const)('frames a %s response at %s (stream %s) as %s', (api, url, stream, framing) => {
    expect(responseFraming(api, url, stream)).toBe(framing);
  });
});
