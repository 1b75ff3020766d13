import { describe, it, expect } from 'vitest';
import {
  BASE_URL_PREFIXES,
  LOCAL_PROVIDER_ENDPOINTS,
  PROVIDER_HOSTS,
  PROVIDER_HOST_SUFFIXES,
  isProviderHost,
  matchProvider,
  resolveBaseUrlPath,
  type ApiKind,
  type ProviderId,
} from '../../core/providers/index.js';

type Row = readonly [host: string, url: string, provider: ProviderId, api: ApiKind];

const KNOWN_ROUTES: readonly Row[] = [
  // OpenAI
  ['api.openai.com', '/v1/chat/completions', 'openai', 'openai-chat'],
  ['api.openai.com', '/v1/responses', 'openai', 'openai-responses'],
  ['api.openai.com', '/v1/embeddings', 'openai', 'openai-embeddings'],
  ['api.openai.com', '/v1/completions', 'openai', 'openai-completions'],
  ['api.openai.com', '/v1/chat/completions?foo=bar', 'openai', 'openai-chat'],
  ['api.openai.com', '/v1/chat/completions/', 'openai', 'openai-chat'],
  ['api.openai.com', '/v1/audio/transcriptions', 'openai', 'generic-json'],
  ['api.openai.com', '/v1/files', 'openai', 'generic-json'],
  // Azure OpenAI
  [
    'myres.openai.azure.com',
    '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
    'azure-openai',
    'openai-chat',
  ],
  [
    'myres.openai.azure.com',
    '/openai/deployments/davinci/completions?api-version=2024-10-21',
    'azure-openai',
    'openai-completions',
  ],
  [
    'myres.openai.azure.com',
    '/openai/deployments/ada/embeddings?api-version=2024-10-21',
    'azure-openai',
    'openai-embeddings',
  ],
  ['myres.openai.azure.com', '/openai/v1/chat/completions', 'azure-openai', 'openai-chat'],
  ['myres.openai.azure.com', '/openai/v1/responses?api-version=preview', 'azure-openai', 'openai-responses'],
  [
    'myres.openai.azure.com',
    '/openai/responses?api-version=2025-04-01-preview',
    'azure-openai',
    'openai-responses',
  ],
  [
    'myres.cognitiveservices.azure.com',
    '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    'azure-openai',
    'openai-chat',
  ],
  ['myres.openai.azure.com', '/openai/deployments/gpt-4o/images/generations', 'azure-openai', 'generic-json'],
  ['myres.openai.azure.com', '/openai/deployments/gpt-4o', 'azure-openai', 'generic-json'],
  // Anthropic
  ['api.anthropic.com', '/v1/messages', 'anthropic', 'anthropic-messages'],
  ['api.anthropic.com', '/v1/messages?beta=true', 'anthropic', 'anthropic-messages'],
  ['api.anthropic.com', '/v1/messages/count_tokens', 'anthropic', 'anthropic-messages'],
  ['api.anthropic.com', '/v1/messages/batches', 'anthropic', 'generic-json'],
  ['api.anthropic.com', '/v1/complete', 'anthropic', 'generic-json'],
  // Gemini
  [
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.0-flash:generateContent',
    'gemini',
    'gemini-generate',
  ],
  [
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
    'gemini',
    'gemini-generate',
  ],
  [
    'generativelanguage.googleapis.com',
    '/v1/models/gemini-1.5-pro:streamGenerateContent',
    'gemini',
    'gemini-generate',
  ],
  [
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.0-flash:countTokens',
    'gemini',
    'gemini-generate',
  ],
  [
    'generativelanguage.googleapis.com',
    '/v1beta/models/text-embedding-004:embedContent',
    'gemini',
    'gemini-embed',
  ],
  [
    'generativelanguage.googleapis.com',
    '/v1beta/models/text-embedding-004:batchEmbedContents',
    'gemini',
    'gemini-embed',
  ],
  [
    'generativelanguage.googleapis.com',
    '/v1beta/tunedModels/my-tuned-7:generateContent',
    'gemini',
    'gemini-generate',
  ],
  [
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.0-flash%3AgenerateContent',
    'gemini',
    'gemini-generate',
  ],
  ['generativelanguage.googleapis.com', '/v1beta/openai/chat/completions', 'gemini', 'openai-chat'],
  [
    'generativelanguage.googleapis.com',
    '/v1beta/models/gemini-2.0-flash:predictLongRunning',
    'gemini',
    'generic-json',
  ],
  ['generativelanguage.googleapis.com', '/upload/v1beta/files', 'gemini', 'generic-json'],
  // OpenAI-compatible providers
  ['api.mistral.ai', '/v1/chat/completions', 'mistral', 'openai-chat'],
  ['api.mistral.ai', '/v1/embeddings', 'mistral', 'openai-embeddings'],
  ['api.mistral.ai', '/v1/fim/completions', 'mistral', 'openai-completions'],
  ['api.groq.com', '/openai/v1/chat/completions', 'groq', 'openai-chat'],
  ['api.groq.com', '/openai/v1/responses', 'groq', 'openai-responses'],
  ['api.groq.com', '/v1/chat/completions', 'groq', 'generic-json'],
  ['api.deepseek.com', '/chat/completions', 'deepseek', 'openai-chat'],
  ['api.deepseek.com', '/v1/chat/completions', 'deepseek', 'openai-chat'],
  ['api.deepseek.com', '/beta/completions', 'deepseek', 'openai-completions'],
  ['api.deepseek.com', '/anthropic/v1/messages', 'deepseek', 'anthropic-messages'],
  ['api.x.ai', '/v1/chat/completions', 'xai', 'openai-chat'],
  ['api.x.ai', '/v1/responses', 'xai', 'openai-responses'],
  ['api.x.ai', '/v1/messages', 'xai', 'anthropic-messages'],
  ['openrouter.ai', '/api/v1/chat/completions', 'openrouter', 'openai-chat'],
  ['openrouter.ai', '/api/v1/completions', 'openrouter', 'openai-completions'],
  ['api.together.xyz', '/v1/chat/completions', 'together', 'openai-chat'],
  ['api.together.xyz', '/v1/embeddings', 'together', 'openai-embeddings'],
  ['api.fireworks.ai', '/inference/v1/chat/completions', 'fireworks', 'openai-chat'],
  ['api.fireworks.ai', '/inference/v1/completions', 'fireworks', 'openai-completions'],
  ['api.perplexity.ai', '/chat/completions', 'perplexity', 'openai-chat'],
  ['api.perplexity.ai', '/v1/chat/completions', 'perplexity', 'openai-chat'],
  // Ollama
  ['ollama.com', '/api/chat', 'ollama', 'ollama-chat'],
  ['ollama.com', '/api/generate', 'ollama', 'ollama-generate'],
  ['127.0.0.1:11434', '/api/chat', 'ollama', 'ollama-chat'],
  ['localhost:11434', '/api/generate', 'ollama', 'ollama-generate'],
  ['localhost:11434', '/api/embed', 'ollama', 'ollama-embed'],
  ['localhost:11434', '/api/embeddings', 'ollama', 'ollama-embed'],
  ['127.0.0.1:11434', '/v1/chat/completions', 'ollama', 'openai-chat'],
  ['127.0.0.1:11434', '/v1/embeddings', 'ollama', 'openai-embeddings'],
  ['[::1]:11434', '/api/chat', 'ollama', 'ollama-chat'],
  ['127.0.0.1:11434', '/api/tags', 'ollama', 'generic-json'],
  // Host spelling is forgiven
  ['API.OpenAI.com', '/v1/chat/completions', 'openai', 'openai-chat'],
  ['api.openai.com.', '/v1/chat/completions', 'openai', 'openai-chat'],
  ['api.openai.com:443', '/v1/chat/completions', 'openai', 'openai-chat'],
  ['MyRes.OpenAI.Azure.com', '/openai/v1/chat/completions', 'azure-openai', 'openai-chat'],
];

describe('provider routes', () => {
  it.each(KNOWN_ROUTES)('routes %s %s to %s (%s)', (host, url, provider, api) => {
    const match = matchProvider(host, url);
    expect(match).toBeDefined();
    expect(match?.provider).toBe(provider);
    expect(match?.api).toBe(api);
    expect(match?.adapter.api).toBe(api);
  });

  it('shares one match object per provider and API, so matching allocates no result', () => {
    expect(matchProvider('api.openai.com', '/v1/chat/completions')).toBe(
      matchProvider('api.openai.com', '/v1/chat/completions?x=1'),
    );
  });

  it.each([
    ['example.com', '/v1/chat/completions'],
    ['github.com', '/api/chat'],
    ['openai.azure.com', '/openai/v1/chat/completions'],
    ['evilopenai.azure.com', '/openai/v1/chat/completions'],
    ['api.openai.com.evil.test', '/v1/chat/completions'],
    ['127.0.0.1', '/api/chat'],
    ['localhost:8080', '/api/chat'],
    ['127.0.0.1:11435', '/api/chat'],
  ])('leaves %s alone (not a provider)', (host, url) => {
    expect(matchProvider(host, url)).toBeUndefined();
  });
});

describe('admin-routed hosts', () => {
  const extra = new Set(['llm.corp.example', 'gateway.corp.example:8443']);

  it.each([
    ['llm.corp.example', '/v1/chat/completions', 'openai-chat'],
    ['llm.corp.example', '/litellm/openai/v1/chat/completions', 'openai-chat'],
    ['llm.corp.example', '/v1/responses', 'openai-responses'],
    ['llm.corp.example', '/v1/embeddings', 'openai-embeddings'],
    ['llm.corp.example', '/v1/completions', 'openai-completions'],
    ['llm.corp.example', '/v1/models', 'generic-json'],
    ['LLM.corp.example', '/v1/chat/completions', 'openai-chat'],
    ['gateway.corp.example:8443', '/chat/completions', 'openai-chat'],
  ] as const)('treats %s%s as OpenAI-compatible (%s)', (host, url, api) => {
    const match = matchProvider(host, url, extra);
    expect(match?.provider).toBe('openai');
    expect(match?.api).toBe(api);
  });

  it('ignores a host that is in no list', () => {
    expect(matchProvider('other.corp.example', '/v1/chat/completions', extra)).toBeUndefined();
  });

  it('keeps a known provider its own routes even when an admin lists it too', () => {
    const match = matchProvider('api.anthropic.com', '/v1/messages', new Set(['api.anthropic.com']));
    expect(match?.provider).toBe('anthropic');
    expect(match?.api).toBe('anthropic-messages');
  });
});

describe('provider hosts', () => {
  it.each([
    ['api.openai.com'],
    ['api.anthropic.com'],
    ['generativelanguage.googleapis.com'],
    ['api.mistral.ai'],
    ['api.groq.com'],
    ['api.deepseek.com'],
    ['api.x.ai'],
    ['openrouter.ai'],
    ['api.together.xyz'],
    ['api.fireworks.ai'],
    ['api.perplexity.ai'],
    ['ollama.com'],
    ['contoso.openai.azure.com'],
    ['contoso.cognitiveservices.azure.com'],
  ])('intercepts %s', (host) => {
    expect(isProviderHost(host)).toBe(true);
  });

  it.each([
    ['example.com'],
    ['openai.com'],
    ['azure.com'],
    ['openai.azure.com'],
    ['xopenai.azure.com'],
    ['localhost'],
  ])('tunnels %s untouched', (host) => {
    expect(isProviderHost(host)).toBe(false);
  });

  it('counts a loopback host as Ollama only on port 11434', () => {
    expect(isProviderHost('127.0.0.1', 11434)).toBe(true);
    expect(isProviderHost('localhost', 11434)).toBe(true);
    expect(isProviderHost('::1', 11434)).toBe(true);
    expect(isProviderHost('127.0.0.1:11434')).toBe(true);
    expect(isProviderHost('127.0.0.1')).toBe(false);
    expect(isProviderHost('127.0.0.1', 443)).toBe(false);
    expect(isProviderHost('localhost:11434', 8080)).toBe(false);
  });

  it('lists exact hosts, Azure suffixes and local endpoints apart', () => {
    expect(PROVIDER_HOSTS).toContain('api.openai.com');
    expect(PROVIDER_HOSTS).toContain('ollama.com');
    expect(PROVIDER_HOSTS.every((host) => host === host.toLowerCase() && !host.includes(':'))).toBe(true);
    expect(PROVIDER_HOST_SUFFIXES).toEqual(
      expect.arrayContaining(['.openai.azure.com', '.cognitiveservices.azure.com']),
    );
    expect(LOCAL_PROVIDER_ENDPOINTS).toEqual(expect.arrayContaining(['127.0.0.1:11434', 'localhost:11434']));
    expect(new Set(PROVIDER_HOSTS).size).toBe(PROVIDER_HOSTS.length);
  });

  it('matches every listed host to a provider', () => {
    for (const host of PROVIDER_HOSTS) expect(matchProvider(host, '/')).toBeDefined();
  });
});

describe('base-URL mode', () => {
  it.each([
    [
      '/openai/v1/chat/completions?x=1',
      'api.openai.com',
      443,
      'https:',
      '/v1/chat/completions?x=1',
      'openai',
    ],
    ['/anthropic/v1/messages', 'api.anthropic.com', 443, 'https:', '/v1/messages', 'anthropic'],
    [
      '/gemini/v1beta/models/gemini-2.0-flash:generateContent',
      'generativelanguage.googleapis.com',
      443,
      'https:',
      '/v1beta/models/gemini-2.0-flash:generateContent',
      'gemini',
    ],
    ['/mistral/v1/chat/completions', 'api.mistral.ai', 443, 'https:', '/v1/chat/completions', 'mistral'],
    [
      '/groq/openai/v1/chat/completions',
      'api.groq.com',
      443,
      'https:',
      '/openai/v1/chat/completions',
      'groq',
    ],
    ['/deepseek/chat/completions', 'api.deepseek.com', 443, 'https:', '/chat/completions', 'deepseek'],
    ['/xai/v1/chat/completions', 'api.x.ai', 443, 'https:', '/v1/chat/completions', 'xai'],
    [
      '/openrouter/api/v1/chat/completions',
      'openrouter.ai',
      443,
      'https:',
      '/api/v1/chat/completions',
      'openrouter',
    ],
    ['/together/v1/chat/completions', 'api.together.xyz', 443, 'https:', '/v1/chat/completions', 'together'],
    [
      '/fireworks/inference/v1/chat/completions',
      'api.fireworks.ai',
      443,
      'https:',
      '/inference/v1/chat/completions',
      'fireworks',
    ],
    ['/perplexity/chat/completions', 'api.perplexity.ai', 443, 'https:', '/chat/completions', 'perplexity'],
    ['/ollama/api/chat', '127.0.0.1', 11434, 'http:', '/api/chat', 'ollama'],
    ['/openai', 'api.openai.com', 443, 'https:', '/', 'openai'],
    ['/openai?x=1', 'api.openai.com', 443, 'https:', '/?x=1', 'openai'],
  ])('sends %s to %s:%d', (path, host, port, protocol, rest, provider) => {
    expect(resolveBaseUrlPath(path)).toEqual({ host, port, protocol, path: rest, provider });
  });

  it.each([
    ['/v1/chat/completions'],
    ['/unknown/v1/chat/completions'],
    ['/'],
    [''],
    ['openai/v1'],
    ['/OpenAI/v1'],
    ['/__proto__/x'],
    ['/constructor'],
  ])('refuses to guess an upstream for %s', (path) => {
    expect(resolveBaseUrlPath(path)).toBeUndefined();
  });

  it('resolves to a host the registry knows, with the same provider', () => {
    for (const [prefix, target] of BASE_URL_PREFIXES) {
      const resolved = resolveBaseUrlPath(`/${prefix}/x`);
      const host = target.protocol === 'http:' ? `${target.host}:${target.port}` : target.host;
      expect(resolved?.provider).toBe(target.provider);
      expect(matchProvider(host, resolved?.path ?? '/')?.provider).toBe(target.provider);
    }
  });
});

describe('regional and product endpoints of known providers', () => {
  it.each([
    ['us.api.openai.com', '/v1/chat/completions', 'openai', 'openai-chat'],
    ['eu.api.openai.com', '/v1/responses', 'openai', 'openai-responses'],
    ['codestral.mistral.ai', '/v1/fim/completions', 'mistral', 'openai-completions'],
    ['codestral.mistral.ai', '/v1/chat/completions', 'mistral', 'openai-chat'],
  ])('intercepts %s%s as %s %s', (host, path, provider, api) => {
    expect(isProviderHost(host)).toBe(true);
    expect(matchProvider(host, path)).toMatchObject({ provider, api });
  });
});
