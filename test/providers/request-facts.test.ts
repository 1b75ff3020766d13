import { describe, it, expect } from 'vitest';
import { matchProvider, type RequestFacts } from '../../core/providers/index.js';

type Scalars = Record<string, string | number | boolean | null>;
type Row = readonly [title: string, host: string, url: string, topLevel: Scalars, facts: RequestFacts];

const ROWS: readonly Row[] = [
  [
    'OpenAI chat: model from the body, not streaming',
    'api.openai.com',
    '/v1/chat/completions',
    { model: 'gpt-4o' },
    { model: 'gpt-4o', stream: false },
  ],
  [
    'OpenAI chat: stream true',
    'api.openai.com',
    '/v1/chat/completions',
    { model: 'gpt-4o', stream: true },
    { model: 'gpt-4o', stream: true },
  ],
  [
    'OpenAI chat: stream "true" as a string does not stream',
    'api.openai.com',
    '/v1/chat/completions',
    { model: 'gpt-4o', stream: 'true' },
    { model: 'gpt-4o', stream: false },
  ],
  [
    'OpenAI Responses',
    'api.openai.com',
    '/v1/responses',
    { model: 'gpt-4.1', stream: true, instructions: 'x' },
    { model: 'gpt-4.1', stream: true },
  ],
  [
    'OpenAI embeddings',
    'api.openai.com',
    '/v1/embeddings',
    { model: 'text-embedding-3-small' },
    { model: 'text-embedding-3-small', stream: false },
  ],
  ['no model in the body gives no model', 'api.openai.com', '/v1/chat/completions', {}, { stream: false }],
  [
    'an empty or non-string model gives no model',
    'api.openai.com',
    '/v1/chat/completions',
    { model: '' },
    { stream: false },
  ],
  [
    'a numeric model gives no model',
    'api.openai.com',
    '/v1/chat/completions',
    { model: 4 },
    { stream: false },
  ],
  [
    'Azure deployment: the deployment name is the model',
    'contoso.openai.azure.com',
    '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
    { stream: true },
    { model: 'gpt4o-prod', stream: true },
  ],
  [
    'Azure deployment: a body model wins over the deployment name',
    'contoso.openai.azure.com',
    '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
    { model: 'gpt-4o' },
    { model: 'gpt-4o', stream: false },
  ],
  [
    'Azure deployment embeddings',
    'contoso.cognitiveservices.azure.com',
    '/openai/deployments/embed%2Dsmall/embeddings?api-version=2024-10-21',
    {},
    { model: 'embed-small', stream: false },
  ],
  [
    'Azure v1 API: model from the body',
    'contoso.openai.azure.com',
    '/openai/v1/responses',
    { model: 'gpt-4.1' },
    { model: 'gpt-4.1', stream: false },
  ],
  [
    'Anthropic messages',
    'api.anthropic.com',
    '/v1/messages',
    { model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true },
    { model: 'claude-sonnet-4-5', stream: true },
  ],
  [
    'Anthropic messages without stream',
    'api.anthropic.com',
    '/v1/messages',
    { model: 'claude-haiku-4-5' },
    { model: 'claude-haiku-4-5', stream: false },
  ],
  [
    'Gemini generateContent: model from the URL, not streaming',
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.0-flash:generateContent?key=AIzaFAKE',
    {},
    { model: 'gemini-2.0-flash', stream: false },
  ],
  [
    'Gemini streamGenerateContent with alt=sse streams',
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    {},
    { model: 'gemini-2.5-pro', stream: true },
  ],
  [
    'Gemini streamGenerateContent without alt=sse streams (a JSON array)',
    'generativelanguage.googleapis.com',
    '/v1/models/gemini-1.5-pro:streamGenerateContent',
    {},
    { model: 'gemini-1.5-pro', stream: true },
  ],
  [
    'Gemini: the URL model wins over a body model (the URL is what runs)',
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.0-flash:generateContent',
    { model: 'gemini-allowed' },
    { model: 'gemini-2.0-flash', stream: false },
  ],
  [
    'Gemini tuned model',
    'generativelanguage.googleapis.com',
    '/v1beta/tunedModels/support-bot-7:generateContent',
    {},
    { model: 'tunedModels/support-bot-7', stream: false },
  ],
  [
    'Gemini embedContent',
    'generativelanguage.googleapis.com',
    '/v1beta/models/text-embedding-004:embedContent',
    {},
    { model: 'text-embedding-004', stream: false },
  ],
  [
    'Gemini percent-encoded method separator',
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.0-flash%3AstreamGenerateContent',
    {},
    { model: 'gemini-2.0-flash', stream: true },
  ],
  [
    'Gemini OpenAI-compatible chat',
    'generativelanguage.googleapis.com',
    '/v1beta/openai/chat/completions',
    { model: 'gemini-2.0-flash', stream: true },
    { model: 'gemini-2.0-flash', stream: true },
  ],
  [
    'Ollama chat streams when stream is absent',
    '127.0.0.1:11434',
    '/api/chat',
    { model: 'llama3.2' },
    { model: 'llama3.2', stream: true },
  ],
  [
    'Ollama chat with stream false does not stream',
    '127.0.0.1:11434',
    '/api/chat',
    { model: 'llama3.2', stream: false },
    { model: 'llama3.2', stream: false },
  ],
  [
    'Ollama generate streams when stream is absent',
    'ollama.com',
    '/api/generate',
    { model: 'gpt-oss:120b' },
    { model: 'gpt-oss:120b', stream: true },
  ],
  [
    'Ollama generate with stream null streams (Go treats it as absent)',
    'ollama.com',
    '/api/generate',
    { model: 'llava', stream: null },
    { model: 'llava', stream: true },
  ],
  [
    'Ollama embed never streams',
    'localhost:11434',
    '/api/embed',
    { model: 'nomic-embed-text' },
    { model: 'nomic-embed-text', stream: false },
  ],
  [
    'Ollama legacy embeddings never stream',
    'localhost:11434',
    '/api/embeddings',
    { model: 'nomic-embed-text' },
    { model: 'nomic-embed-text', stream: false },
  ],
  [
    'Ollama OpenAI-compatible chat follows OpenAI (no stream means none)',
    'localhost:11434',
    '/v1/chat/completions',
    { model: 'llama3.2' },
    { model: 'llama3.2', stream: false },
  ],
  [
    'OpenAI-compatible provider (Groq)',
    'api.groq.com',
    '/openai/v1/chat/completions',
    { model: 'llama-3.3-70b-versatile', stream: true },
    { model: 'llama-3.3-70b-versatile', stream: true },
  ],
  [
    'an unknown provider path still reports body model and stream',
    'api.openai.com',
    '/v1/audio/speech',
    { model: 'tts-1', stream: true },
    { model: 'tts-1', stream: true },
  ],
];

describe('request facts', () => {
  it.each(ROWS)('%s', (_title, host, url, topLevel, expected) => {
    const match = matchProvider(host, url);
    expect(match).toBeDefined();
    expect(match!.adapter.requestFacts(url, new Map(Object.entries(topLevel)))).toEqual(expected);
  });
});
