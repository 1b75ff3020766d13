/**
 * Streamed responses through the real daemon: they arrive whole and in order, each event reaches the
 * client while upstream is still sending (nothing is held back), and the token usage that only the stream
 * carries ends up in the audit event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { fetch as undiciFetch } from 'undici';
import {
  anthropicClient,
  auditEventFor,
  only,
  openaiClient,
  proxyAgent,
  resetRecorded,
} from '../support/clients.js';
import { openAuditReader } from '../../core/audit/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { AWS_KEY } from '../support/secrets.js';

let h: Harness;
let agent: ProxyAgent;

beforeAll(async () => {
  h = await startHarness();
  agent = proxyAgent(h);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

const EVENTS = 8;
const expectedParts = Array.from({ length: EVENTS }, (_, i) => `part${i} `);

/** Rejects if `promise` has not settled within `ms`: a buffering proxy would hang here until release. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function requestIdOf(response: Response): string {
  const id = response.headers.get('x-llmgate-request-id');
  expect(id, 'x-llmgate-request-id header').toBeTruthy();
  return id!;
}

describe('OpenAI chat streams through HTTPS_PROXY', () => {
  it('arrive whole and in order, and the request was still redacted', async () => {
    h.provider.streamEvents = EVENTS;
    resetRecorded(h);
    const stream = await openaiClient({ agent }).chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: `key ${AWS_KEY}` }],
    });
    const parts: string[] = [];
    let usage: unknown;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) parts.push(delta);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(parts).toEqual(expectedParts);
    expect(usage).toMatchObject({ completion_tokens: EVENTS });
    expect(only(h).body.toString('utf8')).not.toContain(AWS_KEY);
  });

  it('deliver the first event while upstream is still open', async () => {
    h.provider.streamEvents = EVENTS;
    h.provider.gateStreams = true;
    try {
      const stream = await openaiClient({ agent }).chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hello' }],
      });
      const iterator = stream[Symbol.asyncIterator]();
      const first = await within(iterator.next(), 5000, 'the first streamed event');
      expect(first.done).toBe(false);
      expect(first.value?.choices[0]?.delta?.content).toBe('part0 ');
      // Upstream has sent one event and is waiting: the client saw it before the stream ended.
      expect(h.provider.streamsOpen).toBeGreaterThan(0);
      h.provider.releaseStreams();
      const rest: string[] = [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const delta = next.value.choices[0]?.delta?.content;
        if (delta) rest.push(delta);
      }
      expect(['part0 ', ...rest]).toEqual(expectedParts);
    } finally {
      h.provider.releaseStreams();
      h.provider.gateStreams = false;
    }
  });

  it('record the usage the stream reports in the audit event', async () => {
    h.provider.streamEvents = EVENTS;
    const { data: stream, response } = await openaiClient({ agent })
      .chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'count' }],
      })
      .withResponse();
    for await (const _ of stream) {
      // drain
    }
    const event = await auditEventFor(h, requestIdOf(response));
    expect(event.stream).toBe(true);
    expect(event.model).toBe('gpt-fake');
    expect(event.usage).toEqual({ inputTokens: 11, outputTokens: EVENTS });
    expect(event.status).toBe(200);
    expect(event.bytes.response).toBeGreaterThan(0);
  });
});

describe('Anthropic message streams through HTTPS_PROXY', () => {
  async function collect(stream: AsyncIterable<{ type: string; delta?: unknown }>): Promise<string[]> {
    const parts: string[] = [];
    for await (const event of stream) {
      if (event.type === 'content_block_delta') {
        const delta = event.delta as { type: string; text?: string };
        if (delta.type === 'text_delta' && delta.text !== undefined) parts.push(delta.text);
      }
    }
    return parts;
  }

  it('arrive whole and in order', async () => {
    h.provider.streamEvents = EVENTS;
    const stream = await anthropicClient({ agent }).messages.create({
      model: 'claude-test-model',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'stream please' }],
    });
    expect(await collect(stream)).toEqual(expectedParts);
  });

  it('arrive whole and in order through the SDK stream helper', async () => {
    h.provider.streamEvents = EVENTS;
    const stream = anthropicClient({ agent }).messages.stream({
      model: 'claude-test-model',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'stream please' }],
    });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'text', text: expectedParts.join('') });
    expect(message.usage.output_tokens).toBe(EVENTS);
  });

  it('deliver the first event while upstream is still open', async () => {
    h.provider.streamEvents = EVENTS;
    h.provider.gateStreams = true;
    try {
      const stream = await anthropicClient({ agent }).messages.create({
        model: 'claude-test-model',
        max_tokens: 64,
        stream: true,
        messages: [{ role: 'user', content: 'stream please' }],
      });
      const iterator = stream[Symbol.asyncIterator]();
      const first = await within(iterator.next(), 5000, 'the first streamed event');
      expect(first.value?.type).toBe('message_start');
      expect(h.provider.streamsOpen).toBeGreaterThan(0);
      h.provider.releaseStreams();
      const parts: string[] = [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        if (next.value.type === 'content_block_delta' && next.value.delta.type === 'text_delta') {
          parts.push(next.value.delta.text);
        }
      }
      expect(parts).toEqual(expectedParts);
    } finally {
      h.provider.releaseStreams();
      h.provider.gateStreams = false;
    }
  });

  it('record model and usage from message_start and message_delta in the audit event', async () => {
    h.provider.streamEvents = EVENTS;
    const { data: stream, response } = await anthropicClient({ agent })
      .messages.create({
        model: 'claude-test-model',
        max_tokens: 64,
        stream: true,
        messages: [{ role: 'user', content: 'stream please' }],
      })
      .withResponse();
    await collect(stream);
    const event = await auditEventFor(h, requestIdOf(response));
    expect(event.stream).toBe(true);
    expect(event.provider).toBe('anthropic');
    expect(event.model).toBe('claude-fake');
    expect(event.usage).toEqual({ inputTokens: 9, outputTokens: EVENTS });
  });
});

describe('Gemini streamGenerateContent through HTTPS_PROXY', () => {
  it('arrives whole and in order as server-sent events, with usage in the audit event', async () => {
    h.provider.streamEvents = EVENTS;
    const res = await undiciFetch(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': 'goog-test-key' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'stream please' }] }] }),
        dispatcher: agent,
      },
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    const parts = text
      .split(/\r?\n\r?\n/)
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice(6)) as { candidates: { content: { parts: { text: string }[] } }[] })
      .map((m) => m.candidates[0]!.content.parts[0]!.text);
    expect(parts).toEqual(expectedParts);
    const event = await auditEventFor(h, res.headers.get('x-llmgate-request-id')!);
    expect(event.stream).toBe(true);
    // The model the response reports (modelVersion) wins over the one the URL asked for.
    expect(event.model).toBe('gemini-fake');
    expect(event.usage).toEqual({ inputTokens: 7, outputTokens: 2 });
  });
});

describe('a client that goes away mid-stream', () => {
  it('still leaves exactly one audit event, and upstream is released', async () => {
    h.provider.streamEvents = EVENTS;
    h.provider.gateStreams = true;
    const abort = new AbortController();
    let requestId: string | null = null;
    try {
      const res = await undiciFetch('https://api.openai.com/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-abort' },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        dispatcher: agent,
        signal: abort.signal,
      });
      requestId = res.headers.get('x-llmgate-request-id');
      const reader = res.body!.getReader();
      const first = await within(reader.read(), 5000, 'the first streamed event');
      expect(Buffer.from(first.value!).toString('utf8')).toContain('part0 ');
      abort.abort();
      await reader.read().catch(() => undefined);
    } finally {
      h.provider.releaseStreams();
      h.provider.gateStreams = false;
    }
    expect(requestId).toBeTruthy();
    const event = await auditEventFor(h, requestId!);
    expect(event.stream).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const reader = openAuditReader(h.daemon.paths.auditDb);
    try {
      expect([...reader.events()].filter((e) => e.id === requestId)).toHaveLength(1);
    } finally {
      reader.close();
    }
    for (let i = 0; i < 50 && h.provider.streamsOpen > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.provider.streamsOpen).toBe(0);
  });
});
