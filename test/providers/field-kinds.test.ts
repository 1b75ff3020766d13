import { describe, it, expect } from 'vitest';
import { matchProvider, type FieldKind, type JsonPath } from '../../core/providers/index.js';

/** Every string value of a JSON document with its key path, in document order. */
function stringPaths(
  value: unknown,
  path: (string | number)[] = [],
  out: [JsonPath, string][] = [],
): [JsonPath, string][] {
  if (typeof value === 'string') out.push([[...path], value]);
  else if (Array.isArray(value)) value.forEach((item, i) => stringPaths(item, [...path, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) stringPaths(item, [...path, key], out);
  }
  return out;
}

interface Case {
  readonly title: string;
  readonly host: string;
  readonly url: string;
  readonly body: unknown;
  /** Dotted paths that are not text; every other string in `body` must be text. */
  readonly special: Readonly<Record<string, Exclude<FieldKind, 'text'>>>;
  /** Ordinary content paths spelled out, to say in the table that they are scanned as text. */
  readonly text: readonly string[];
}

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF = 'data:application/pdf;base64,JVBERi0xLjQKJcfsj6IKNSAwIG9iago=';

const CASES: readonly Case[] = [
  {
    title: 'OpenAI chat completions',
    host: 'api.openai.com',
    url: '/v1/chat/completions',
    body: {
      model: 'gpt-4o',
      stream: true,
      messages: [
        { role: 'system', content: 'You are a careful assistant.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image and this recording?' },
            { type: 'image_url', image_url: { url: PNG, detail: 'low' } },
            { type: 'input_audio', input_audio: { data: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEA', format: 'wav' } },
            { type: 'file', file: { filename: 'report.pdf', file_data: PDF } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_abc',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            { id: 'call_def', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_abc', content: '{"temperature":21}' },
        {
          role: 'assistant',
          content: null,
          function_call: { name: 'lookup', arguments: '{"q":"order 42"}' },
        },
        { role: 'function', name: 'lookup', content: 'order 42 shipped' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string', description: 'City name' } },
            },
          },
        },
      ],
    },
    special: {
      'messages.1.content.1.image_url.url': 'media',
      'messages.1.content.2.input_audio.data': 'media',
      'messages.1.content.3.file.file_data': 'media',
      'messages.2.tool_calls.0.function.arguments': 'embedded-json',
      'messages.2.tool_calls.1.function.arguments': 'embedded-json',
      'messages.4.function_call.arguments': 'embedded-json',
    },
    text: [
      'messages.0.content',
      'messages.1.content.0.text',
      'messages.3.content',
      'messages.5.content',
      'tools.0.function.description',
      'tools.0.function.parameters.properties.city.description',
    ],
  },
  {
    title: 'OpenAI Responses API',
    host: 'api.openai.com',
    url: '/v1/responses',
    body: {
      model: 'gpt-4.1',
      instructions: 'Answer in one sentence.',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Describe the attachment.' },
            { type: 'input_image', image_url: PNG, detail: 'auto' },
            { type: 'input_file', filename: 'spec.pdf', file_data: PDF },
          ],
        },
        { type: 'function_call', call_id: 'call_9', name: 'lookup_customer', arguments: '{"id":42}' },
        { type: 'function_call_output', call_id: 'call_9', output: '{"name":"Ada Lovelace"}' },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAAABoZ2V0dGluZy1zdGFydGVk' },
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Ada is a customer.' }],
        },
      ],
      tools: [{ type: 'function', name: 'lookup_customer', description: 'Find a customer', parameters: {} }],
      stream: true,
    },
    special: {
      'input.0.content.1.image_url': 'media',
      'input.0.content.2.file_data': 'media',
      'input.1.arguments': 'embedded-json',
      'input.3.encrypted_content': 'media',
    },
    text: [
      'instructions',
      'input.0.content.0.text',
      'input.2.output',
      'input.4.content.0.text',
      'tools.0.description',
    ],
  },
  {
    title: 'OpenAI Responses API with a string input',
    host: 'api.openai.com',
    url: '/v1/responses',
    body: { model: 'gpt-4.1', instructions: 'Be brief.', input: 'Summarise our Q3 numbers.' },
    special: {},
    text: ['instructions', 'input'],
  },
  {
    title: 'OpenAI embeddings',
    host: 'api.openai.com',
    url: '/v1/embeddings',
    body: { model: 'text-embedding-3-small', input: ['first document', 'second document'] },
    special: {},
    text: ['input.0', 'input.1'],
  },
  {
    title: 'OpenAI legacy completions',
    host: 'api.openai.com',
    url: '/v1/completions',
    body: { model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', suffix: 'end' },
    special: {},
    text: ['prompt', 'suffix'],
  },
  {
    title: 'Azure OpenAI deployment chat',
    host: 'contoso.openai.azure.com',
    url: '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
    body: {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: PNG } },
            { type: 'text', text: 'hi' },
          ],
        },
        {
          role: 'assistant',
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      ],
    },
    special: {
      'messages.0.content.0.image_url.url': 'media',
      'messages.1.tool_calls.0.function.arguments': 'embedded-json',
    },
    text: ['messages.0.content.1.text'],
  },
  {
    title: 'Anthropic messages',
    host: 'api.anthropic.com',
    url: '/v1/messages',
    body: {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [
        { type: 'text', text: 'You review pull requests.' },
        { type: 'text', text: 'Be strict about secrets.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_B64 } },
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
            },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
            { type: 'text', text: 'Review this diff.' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'The diff adds a config file.', signature: 'EqQBCkYIBxgCKkAcbdef' },
            { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
            { type: 'tool_use', id: 'toolu_01', name: 'read_file', input: { path: 'config/app.yml' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_01',
              content: [
                { type: 'text', text: 'db_password: hunter2' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_B64 } },
              ],
            },
            { type: 'tool_result', tool_use_id: 'toolu_02', content: 'plain tool output' },
          ],
        },
        { role: 'assistant', content: 'A plain string turn.' },
      ],
      tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object' } }],
    },
    special: {
      'messages.0.content.0.source.data': 'media',
      'messages.0.content.1.source.data': 'media',
      'messages.1.content.0.signature': 'media',
      'messages.1.content.1.data': 'media',
      'messages.2.content.0.content.1.source.data': 'media',
    },
    text: [
      'system.0.text',
      'system.1.text',
      'messages.0.content.2.source.url',
      'messages.0.content.3.text',
      'messages.1.content.0.thinking',
      'messages.1.content.2.input.path',
      'messages.2.content.0.content.0.text',
      'messages.2.content.1.content',
      'messages.3.content',
      'tools.0.description',
    ],
  },
  {
    title: 'Anthropic count_tokens',
    host: 'api.anthropic.com',
    url: '/v1/messages/count_tokens',
    body: {
      model: 'claude-sonnet-4-5',
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Hello' }],
    },
    special: {},
    text: ['system', 'messages.0.content'],
  },
  {
    title: 'Gemini generateContent',
    host: 'generativelanguage.googleapis.com',
    url: '/v1beta/models/gemini-2.0-flash:generateContent',
    body: {
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in these files?' },
            { inlineData: { mimeType: 'image/png', data: PNG_B64 } },
            { inline_data: { mime_type: 'image/jpeg', data: '/9j/4AAQSkZJRgABAQ' } },
            {
              fileData: {
                mimeType: 'application/pdf',
                fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc',
              },
            },
          ],
        },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'lookup', args: { q: 'order 42' } }, thoughtSignature: 'CiQB0e2Kb1' },
          ],
        },
        { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { result: 'shipped' } } }] },
      ],
      generationConfig: { responseMimeType: 'text/plain' },
    },
    special: {
      'contents.0.parts.1.inlineData.data': 'media',
      'contents.0.parts.2.inline_data.data': 'media',
      'contents.1.parts.0.thoughtSignature': 'media',
    },
    text: [
      'systemInstruction.parts.0.text',
      'contents.0.parts.0.text',
      'contents.0.parts.3.fileData.fileUri',
      'contents.1.parts.0.functionCall.args.q',
      'contents.2.parts.0.functionResponse.response.result',
    ],
  },
  {
    title: 'Gemini countTokens with a wrapped request',
    host: 'generativelanguage.googleapis.com',
    url: '/v1beta/models/gemini-2.0-flash:countTokens',
    body: {
      generateContentRequest: {
        model: 'models/gemini-2.0-flash',
        contents: [
          { parts: [{ text: 'count me' }, { inlineData: { mimeType: 'image/png', data: PNG_B64 } }] },
        ],
      },
    },
    special: { 'generateContentRequest.contents.0.parts.1.inlineData.data': 'media' },
    text: ['generateContentRequest.contents.0.parts.0.text'],
  },
  {
    title: 'Gemini batchEmbedContents',
    host: 'generativelanguage.googleapis.com',
    url: '/v1beta/models/text-embedding-004:batchEmbedContents',
    body: {
      requests: [
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'first' }] } },
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'second' }] } },
      ],
    },
    special: {},
    text: ['requests.0.content.parts.0.text', 'requests.1.content.parts.0.text'],
  },
  {
    title: 'Ollama chat',
    host: '127.0.0.1:11434',
    url: '/api/chat',
    body: {
      model: 'llama3.2-vision',
      messages: [
        { role: 'system', content: 'Describe images.' },
        { role: 'user', content: 'What is in this picture?', images: [PNG_B64, '/9j/4AAQSkZJRgABAQ'] },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
        },
        { role: 'tool', content: '21 degrees', tool_name: 'get_weather' },
      ],
    },
    special: { 'messages.1.images.0': 'media', 'messages.1.images.1': 'media' },
    text: [
      'messages.0.content',
      'messages.1.content',
      'messages.2.tool_calls.0.function.arguments.city',
      'messages.3.content',
    ],
  },
  {
    title: 'Ollama generate',
    host: 'localhost:11434',
    url: '/api/generate',
    body: { model: 'llava', prompt: 'Describe this', system: 'Be brief.', images: [PNG_B64] },
    special: { 'images.0': 'media' },
    text: ['prompt', 'system'],
  },
  {
    title: 'Ollama OpenAI-compatible chat',
    host: '127.0.0.1:11434',
    url: '/v1/chat/completions',
    body: {
      model: 'llama3.2',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', tool_calls: [{ function: { name: 'f', arguments: '{"a":1}' } }] },
      ],
    },
    special: { 'messages.1.tool_calls.0.function.arguments': 'embedded-json' },
    text: ['messages.0.content'],
  },
  {
    title: 'a provider path no adapter knows (Anthropic batches)',
    host: 'api.anthropic.com',
    url: '/v1/messages/batches',
    body: {
      requests: [
        {
          custom_id: 'r1',
          params: {
            model: 'claude-sonnet-4-5',
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_B64 } },
                ],
              },
            ],
          },
        },
      ],
    },
    special: {},
    text: ['requests.0.params.messages.0.content.0.source.data'],
  },
  {
    title: 'an admin-routed OpenAI-compatible gateway',
    host: 'llm.corp.example',
    url: '/v1/chat/completions',
    body: {
      model: 'corp-model',
      messages: [
        {
          role: 'assistant',
          tool_calls: [{ id: 'x', type: 'function', function: { name: 'f', arguments: '{"k":"v"}' } }],
        },
      ],
    },
    special: { 'messages.0.tool_calls.0.function.arguments': 'embedded-json' },
    text: ['messages.0.tool_calls.0.function.name'],
  },
];

const extraHosts = new Set(['llm.corp.example']);

describe('where strings sit in request bodies', () => {
  for (const testCase of CASES) {
    describe(testCase.title, () => {
      const adapter = matchProvider(testCase.host, testCase.url, extraHosts)?.adapter;
      const strings = stringPaths(testCase.body);

      it('marks tool-call arguments as embedded JSON and base64 media as media, every other string as text', () => {
        expect(adapter).toBeDefined();
        const seen: Record<string, FieldKind> = {};
        for (const [path] of strings) {
          const kind = adapter!.fieldKind(path);
          if (kind !== 'text') seen[path.join('.')] = kind;
        }
        expect(seen).toEqual(testCase.special);
      });

      it('scans ordinary content paths as text', () => {
        const present = new Set(strings.map(([path]) => path.join('.')));
        for (const dotted of testCase.text) {
          expect(present.has(dotted), `${dotted} is in the body`).toBe(true);
          const path = dotted.split('.').map((key) => (/^\d+$/.test(key) ? Number(key) : key));
          expect(adapter!.fieldKind(path), dotted).toBe('text');
        }
      });
    });
  }
});

describe('fail-closed field kinds', () => {
  const chat = matchProvider('api.openai.com', '/v1/chat/completions')!.adapter;
  const responses = matchProvider('api.openai.com', '/v1/responses')!.adapter;
  const anthropic = matchProvider('api.anthropic.com', '/v1/messages')!.adapter;
  const gemini = matchProvider(
    'generativelanguage.googleapis.com',
    '/v1/models/gemini-pro:generateContent',
  )!.adapter;
  const ollama = matchProvider('ollama.com', '/api/chat')!.adapter;

  it.each([
    [[]],
    [['messages']],
    [['arguments']],
    [['function', 'arguments']],
    [['messages', 0, 'tool_calls', 'function', 'arguments']],
    [['messages', 0, 'content', 0, 'url']],
    [['data']],
    [['messages', 0, 'name']],
  ] as const)('scans %j as text in OpenAI chat', (path) => {
    expect(chat.fieldKind(path)).toBe('text');
  });

  it('treats arguments outside a top-level input item as text in the Responses API', () => {
    expect(responses.fieldKind(['input', 0, 'arguments'])).toBe('embedded-json');
    expect(responses.fieldKind(['tools', 0, 'arguments'])).toBe('text');
    expect(responses.fieldKind(['input', 'arguments'])).toBe('text');
    expect(responses.fieldKind(['input', 0, 'content', 0, 'arguments'])).toBe('text');
  });

  it('scans data outside a source or a content block as text in Anthropic', () => {
    expect(anthropic.fieldKind(['metadata', 'data'])).toBe('text');
    expect(anthropic.fieldKind(['data'])).toBe('text');
    expect(anthropic.fieldKind(['messages', 0, 'signature'])).toBe('text');
  });

  it('scans data outside inline data as text in Gemini', () => {
    expect(gemini.fieldKind(['contents', 0, 'parts', 0, 'data'])).toBe('text');
    expect(gemini.fieldKind(['contents', 0, 'parts', 0, 'fileData', 'data'])).toBe('text');
  });

  it('scans a key named images as text in Ollama unless it is an array element', () => {
    expect(ollama.fieldKind(['images'])).toBe('text');
    expect(ollama.fieldKind(['messages', 0, 'images', 'x'])).toBe('text');
    expect(ollama.fieldKind(['messages', 0, 'images', 2])).toBe('media');
  });
});
