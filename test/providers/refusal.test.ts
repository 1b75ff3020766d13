import { describe, it, expect } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { refusalResponse, type ProviderId, type Refusal } from '../../core/providers/index.js';

const BLOCK: Refusal = {
  status: 403,
  rule: 'private-key',
  code: 'LG_PIPELINE_BLOCKED',
  reason: 'The request contains a private key.',
  fix: 'Remove the key from the prompt and send it again.',
  requestId: 'req_01HZX4K9',
};

const TOO_LARGE: Refusal = {
  status: 413,
  rule: 'body-too-large',
  code: 'LG_PIPELINE_TOO_LARGE',
  reason: 'The request body is larger than the 32 MiB llmgate can scan',
  fix: 'Send a smaller request',
  requestId: 'req_big',
};

const MESSAGE =
  'llmgate blocked this request (rule private-key): The request contains a private key. ' +
  'Fix: Remove the key from the prompt and send it again. (request id req_01HZX4K9)';

const LLMGATE = {
  rule: 'private-key',
  code: 'LG_PIPELINE_BLOCKED',
  reason: 'The request contains a private key.',
  fix: 'Remove the key from the prompt and send it again.',
  requestId: 'req_01HZX4K9',
};

function parse(body: string): Record<string, unknown> {
  return JSON.parse(body) as Record<string, unknown>;
}

describe('refusals in each provider error shape', () => {
  it.each([
    'openai',
    'azure-openai',
    'mistral',
    'groq',
    'deepseek',
    'xai',
    'openrouter',
    'together',
    'fireworks',
    'perplexity',
  ] as const)('answers a %s client in the OpenAI error shape', (provider) => {
    const response = refusalResponse(provider, BLOCK);
    expect(response.status).toBe(403);
    expect(parse(response.body)).toEqual({
      error: { message: MESSAGE, type: 'invalid_request_error', param: null, code: 'private-key' },
      llmgate: LLMGATE,
    });
  });

  it('answers a client of an unknown provider in the OpenAI error shape', () => {
    expect(parse(refusalResponse(undefined, BLOCK).body)['error']).toMatchObject({
      message: MESSAGE,
      code: 'private-key',
    });
  });

  it('answers an Anthropic client in the Anthropic error shape with a permission error', () => {
    expect(parse(refusalResponse('anthropic', BLOCK).body)).toEqual({
      type: 'error',
      error: { type: 'permission_error', message: MESSAGE },
      request_id: 'req_01HZX4K9',
      llmgate: LLMGATE,
    });
  });

  it.each([
    [400, 'invalid_request_error', 'INVALID_ARGUMENT'],
    [403, 'permission_error', 'PERMISSION_DENIED'],
    [413, 'request_too_large', 'INVALID_ARGUMENT'],
    [415, 'invalid_request_error', 'INVALID_ARGUMENT'],
    [429, 'rate_limit_error', 'RESOURCE_EXHAUSTED'],
    [502, 'api_error', 'INTERNAL'],
  ])('maps status %d to Anthropic %s and Gemini %s', (status, anthropicType, geminiStatus) => {
    const refusal = { ...BLOCK, status };
    const anthropic = parse(refusalResponse('anthropic', refusal).body);
    const gemini = parse(refusalResponse('gemini', refusal).body);
    expect(anthropic['error']).toMatchObject({ type: anthropicType });
    expect(gemini['error']).toMatchObject({ code: status, status: geminiStatus });
  });

  it('answers a Gemini client in the Google error shape', () => {
    expect(parse(refusalResponse('gemini', BLOCK).body)).toEqual({
      error: { code: 403, message: MESSAGE, status: 'PERMISSION_DENIED' },
      llmgate: LLMGATE,
    });
  });

  it('answers an Ollama client with an error string', () => {
    expect(parse(refusalResponse('ollama', BLOCK).body)).toEqual({ error: MESSAGE, llmgate: LLMGATE });
  });

  it('follows the API when a provider serves another family (Ollama /v1, xAI /v1/messages)', () => {
    expect(parse(refusalResponse('ollama', BLOCK, 'openai-chat').body)['error']).toMatchObject({
      code: 'private-key',
    });
    expect(parse(refusalResponse('xai', BLOCK, 'anthropic-messages').body)['type']).toBe('error');
    expect(parse(refusalResponse('gemini', BLOCK, 'openai-chat').body)['error']).toMatchObject({
      type: 'invalid_request_error',
    });
    expect(parse(refusalResponse('anthropic', BLOCK, 'generic-json').body)['type']).toBe('error');
  });

  it('ends reason and fix as sentences in the message', () => {
    const body = parse(refusalResponse('openai', TOO_LARGE).body);
    expect((body['error'] as { message: string }).message).toBe(
      'llmgate blocked this request (rule body-too-large): The request body is larger than the 32 MiB llmgate can scan. ' +
        'Fix: Send a smaller request. (request id req_big)',
    );
    expect(body['llmgate']).toMatchObject({ reason: TOO_LARGE.reason, fix: TOO_LARGE.fix });
  });

  it.each(['openai', 'anthropic', 'gemini', 'ollama', undefined] as const)(
    'sets JSON content type, request id and rule headers (%s)',
    (provider: ProviderId | undefined) => {
      expect(refusalResponse(provider, BLOCK).headers).toEqual({
        'content-type': 'application/json',
        'x-llmgate-request-id': 'req_01HZX4K9',
        'x-llmgate-rule': 'private-key',
      });
    },
  );

  it('keeps header values to visible ASCII so they cannot inject headers', () => {
    const headers = refusalResponse('openai', {
      ...BLOCK,
      rule: 'bad\r\nset-cookie: x',
      requestId: 'id\u00e9 1',
    }).headers;
    expect(headers['x-llmgate-rule']).toBe('bad__set-cookie:_x');
    expect(headers['x-llmgate-request-id']).toBe('id__1');
  });

  it('carries only the refusal fields, never other members of the object it was given', () => {
    const withExtra = { ...BLOCK, matchedText: '-----BEGIN PRIVATE KEY-----MIIEv', body: '{"messages":[]}' };
    for (const provider of ['openai', 'anthropic', 'gemini', 'ollama'] as const) {
      const { body } = refusalResponse(provider, withExtra);
      expect(body).not.toContain('BEGIN PRIVATE KEY');
      expect(body).not.toContain('messages');
    }
  });

  it.each([200, 302, 399, 600, 403.5, Number.NaN])(
    'rejects status %s as misuse with a coded TypeError',
    (status) => {
      expect(() => refusalResponse('openai', { ...BLOCK, status })).toThrow(TypeError);
      try {
        refusalResponse('openai', { ...BLOCK, status });
      } catch (error) {
        expect((error as { code?: string }).code).toBe('LG_ARG_INVALID');
      }
    },
  );
});

/** An SDK `fetch` that answers every call with the refusal: no socket is opened. */
function answering(provider: ProviderId, refusal: Refusal): typeof fetch {
  return async () => {
    const response = refusalResponse(provider, refusal);
    return new Response(response.body, { status: response.status, headers: response.headers });
  };
}

describe('what SDK users see', () => {
  it('shows the rule, reason and request id in the OpenAI SDK error', async () => {
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: 'http://127.0.0.1:9/v1',
      maxRetries: 0,
      fetch: answering('openai', BLOCK),
    });
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(403);
    expect(apiError.message).toBe(`403 ${MESSAGE}`);
    expect(apiError.code).toBe('private-key');
    expect(apiError.type).toBe('invalid_request_error');
  });

  it('shows the rule, reason and request id in the Anthropic SDK error', async () => {
    const client = new Anthropic({
      apiKey: 'sk-ant-test',
      baseURL: 'http://127.0.0.1:9',
      maxRetries: 0,
      fetch: answering('anthropic', TOO_LARGE),
    });
    const error = await client.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(413);
    expect(apiError.message).toContain('rule body-too-large');
    expect(apiError.message).toContain('request id req_big');
    const body = apiError.error as { error?: { type?: string; message?: string } };
    expect(body.error?.type).toBe('request_too_large');
    expect(body.error?.message).toContain('(rule body-too-large)');
  });
});
