/**
 * Issue 4: PII leaves the machine only as stable stand-ins, and answers that quote a stand-in show the
 * original again. The fake provider echoes the prompt back 1 to 3 characters per event (and, when the
 * request offers tools, calls one with the prompt as its argument), so every stand-in reaches the client
 * split across events; real SDKs and raw SSE read the answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import type OpenAI from 'openai';
import { openAuditReader } from '../../core/audit/index.js';
import {
  anthropicClient,
  auditEventFor,
  only,
  openaiClient,
  proxyAgent,
  resetRecorded,
  send,
} from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { AWS_KEY, EMAIL, IBAN } from '../support/secrets.js';

const PHONE = '+44 7911 123456';
const PROMPT = `Email ${EMAIL} about the outage; refund to ${IBAN} [see ticket] or call ${PHONE}.`;
const ORIGINALS = [EMAIL, IBAN, PHONE];
const STAND_IN = /\[\[[a-z0-9-]+_[0-9a-z]{8,16}\]\]/g;

const TOOLS_OPENAI: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'echo', parameters: { type: 'object', properties: { text: { type: 'string' } } } },
  },
];

let h: Harness;
let agent: ProxyAgent;

beforeAll(async () => {
  h = await startHarness();
  h.provider.echo = true;
  agent = proxyAgent(h);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

/** What the provider received: no original, and the stand-ins it got instead. */
function sentToProvider(): { text: string; standIns: string[] } {
  const text = only(h).body.toString('utf8');
  for (const original of ORIGINALS) expect(text).not.toContain(original);
  expect(text).not.toContain(EMAIL.split('@')[0]);
  return { text, standIns: text.match(STAND_IN) ?? [] };
}

describe('OpenAI chat completions', () => {
  it('streams the original text back, though the provider only saw stand-ins', async () => {
    resetRecorded(h);
    const stream = await openaiClient({ agent }).chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: PROMPT }],
    });
    let text = '';
    let events = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      events++;
    }
    expect(text).toBe(PROMPT);
    expect(events).toBeGreaterThan(PROMPT.length / 3);
    const { standIns } = sentToProvider();
    expect(standIns.map((s) => s.slice(2, s.indexOf('_'))).sort()).toEqual(['email', 'iban', 'phone']);
  });

  it('restores tool-call arguments streamed in fragments, escaping nothing wrongly', async () => {
    resetRecorded(h);
    const stream = openaiClient({ agent }).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }],
      tools: TOOLS_OPENAI,
    });
    const final = await stream.finalChatCompletion();
    const message = final.choices[0]!.message;
    expect(message.content).toBe(PROMPT);
    const call = message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({ text: PROMPT });
    sentToProvider();
  });

  it('restores a JSON (non-streamed) answer, tool call included', async () => {
    resetRecorded(h);
    const completion = await openaiClient({ agent }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }],
      tools: TOOLS_OPENAI,
    });
    const message = completion.choices[0]!.message;
    expect(message.content).toBe(PROMPT);
    const call = message.tool_calls?.[0];
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({ text: PROMPT });
    sentToProvider();
  });

  it('keeps stand-ins stable across the turns of a conversation whose history holds the originals', async () => {
    const client = openaiClient({ agent });
    resetRecorded(h);
    const first = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }],
    });
    const turn1 = sentToProvider().standIns;
    const answer = first.choices[0]!.message.content!;
    expect(answer).toBe(PROMPT);

    resetRecorded(h);
    const followUp = `Did ${EMAIL} answer? If not, write to ops@acme-corp.io too.`;
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [
        { role: 'user', content: PROMPT },
        { role: 'assistant', content: answer },
        { role: 'user', content: followUp },
      ],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(followUp);
    const { standIns: turn2 } = sentToProvider();
    expect(only(h).body.toString('utf8')).not.toContain('ops@acme-corp.io');
    // The history's values map to the stand-ins of turn 1; the new address gets a new one.
    const emailStandIn = turn1.find((s) => s.startsWith('[[email_'))!;
    expect(turn2.filter((s) => s === emailStandIn)).toHaveLength(3);
    for (const s of turn1) expect(turn2).toContain(s);
    const newEmail = turn2.filter((s) => s.startsWith('[[email_') && s !== emailStandIn);
    expect(new Set(newEmail).size).toBe(1);
  });

  it('redacts, rather than pseudonymizes, PII its rule finds only in context (issue 4 review: a restored value moved away from "passport" would go back in clear)', async () => {
    const client = openaiClient({ agent });
    const passport = '531804927';
    const prompt = `My passport number is ${passport}; mail ${EMAIL}.`;
    resetRecorded(h);
    const first = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: prompt }],
    });
    const sent = only(h).body.toString('utf8');
    expect(sent).toContain('My passport number is [REDACTED:us-passport];');
    expect(sent).toMatch(/mail \[\[email_[0-9a-z]{8,16}\]\]/);
    const answer = first.choices[0]!.message.content!;
    expect(answer).toBe(`My passport number is [REDACTED:us-passport]; mail ${EMAIL}.`);

    // The answer never held the number, so the next turn's history cannot carry it out of its context.
    resetRecorded(h);
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: prompt },
        { role: 'assistant', content: answer },
        { role: 'user', content: 'Thanks, file it.' },
      ],
    });
    expect(only(h).body.toString('utf8')).not.toContain(passport);
  });

  it('still redacts secrets irreversibly, and the audit event holds neither originals nor stand-ins', async () => {
    resetRecorded(h);
    const prompt = `key ${AWS_KEY} for ${EMAIL}`;
    const raw = await openaiClient({ agent })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    expect(raw.data.choices[0]!.message.content).toBe(`key [REDACTED:aws-access-key-id] for ${EMAIL}`);
    expect(sentToProvider().text).not.toContain(AWS_KEY);
    const id = raw.response.headers.get('x-llmgate-request-id')!;
    const event = await auditEventFor(h, id);
    expect(event.decision).toBe('redact');
    expect(event.redactions).toEqual({ 'aws-access-key-id': 1, email: 1 });
    const reader = openAuditReader(h.daemon.paths.auditDb);
    try {
      const all = JSON.stringify([...reader.events()]);
      for (const original of ORIGINALS) expect(all).not.toContain(original);
      expect(all).not.toMatch(STAND_IN);
    } finally {
      reader.close();
    }
  });
});

describe('OpenAI Responses API', () => {
  it('streams output text and function-call arguments back restored', async () => {
    resetRecorded(h);
    const stream = openaiClient({ agent }).responses.stream({
      model: 'gpt-4o-mini',
      input: [{ role: 'user', content: PROMPT }],
      tools: [{ type: 'function', name: 'echo', strict: false, parameters: { type: 'object' } }],
    });
    let deltas = '';
    stream.on('response.output_text.delta', (e) => (deltas += e.delta));
    const final = await stream.finalResponse();
    expect(deltas).toBe(PROMPT);
    expect(final.output_text).toBe(PROMPT);
    const call = final.output.find((item) => item.type === 'function_call');
    expect(JSON.parse(call?.type === 'function_call' ? call.arguments : '{}')).toEqual({ text: PROMPT });
    sentToProvider();
  });
});

describe('Anthropic messages', () => {
  it('restores text_delta and input_json_delta streamed in fragments', async () => {
    resetRecorded(h);
    const stream = anthropicClient({ agent }).messages.stream({
      model: 'claude-test-model',
      max_tokens: 100,
      messages: [{ role: 'user', content: PROMPT }],
      tools: [{ name: 'echo', input_schema: { type: 'object', properties: { text: { type: 'string' } } } }],
    });
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(text).toBe(PROMPT);
    expect(final.content[0]).toMatchObject({ type: 'text', text: PROMPT });
    expect(final.content[1]).toMatchObject({ type: 'tool_use', input: { text: PROMPT } });
    sentToProvider();
  });

  it('keeps a tool round trip consistent: the agent acts on the real value, the provider sees one stand-in', async () => {
    const client = anthropicClient({ agent });
    const tools = [{ name: 'echo', input_schema: { type: 'object' as const } }];
    resetRecorded(h);
    const first = await client.messages.create({
      model: 'claude-test-model',
      max_tokens: 100,
      messages: [{ role: 'user', content: PROMPT }],
      tools,
    });
    const turn1 = sentToProvider().standIns;
    const toolUse = first.content.find((b) => b.type === 'tool_use')!;
    expect(toolUse.input).toEqual({ text: PROMPT });

    resetRecorded(h);
    const next = `Done: the mail to ${EMAIL} went out.`;
    const second = await client.messages.create({
      model: 'claude-test-model',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: PROMPT },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: toolUse.id, content: `sent to ${EMAIL}` },
            { type: 'text', text: next },
          ],
        },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: next });
    const turn2 = sentToProvider().standIns;
    expect(new Set(turn2)).toEqual(new Set(turn1));
  });

  it('restores a JSON answer', async () => {
    resetRecorded(h);
    const message = await anthropicClient({ agent }).messages.create({
      model: 'claude-test-model',
      max_tokens: 100,
      messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: PROMPT });
    sentToProvider();
  });
});

/** The text of a Gemini SSE stream, as a client reading `data:` events would assemble it. */
function geminiText(body: string): { text: string; events: number } {
  let text = '';
  let events = 0;
  for (const block of body.split(/\r?\n\r?\n/)) {
    const line = block.split(/\r?\n/).find((l) => l.startsWith('data:'));
    if (line === undefined) continue;
    events++;
    const message = JSON.parse(line.slice(5)) as {
      candidates?: { content?: { parts?: { text?: string }[] } }[];
    };
    for (const part of message.candidates?.[0]?.content?.parts ?? []) text += part.text ?? '';
  }
  return { text, events };
}

describe('Gemini', () => {
  const url =
    'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';

  it('streams (alt=sse) the original text back', async () => {
    resetRecorded(h);
    const res = await send(agent, url, {
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test-key' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: PROMPT }] }] }),
    });
    expect(res.status).toBe(200);
    const { text, events } = geminiText(res.body.toString('utf8'));
    expect(text).toBe(PROMPT);
    expect(events).toBeGreaterThan(PROMPT.length / 3);
    sentToProvider();
  });
});

describe('Gemini without alt=sse', () => {
  it('streams the JSON array back restored, element by element', async () => {
    resetRecorded(h);
    const res = await send(
      agent,
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      {
        headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test-key' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: PROMPT }] }] }),
      },
    );
    expect(res.status).toBe(200);
    const elements = JSON.parse(res.body.toString('utf8')) as {
      candidates: { content: { parts: { text?: string }[] } }[];
    }[];
    expect(elements.length).toBeGreaterThan(PROMPT.length / 3);
    expect(
      elements.map((e) => e.candidates[0]!.content.parts.map((p) => p.text ?? '').join('')).join(''),
    ).toBe(PROMPT);
    sentToProvider();
  });
});

describe('Ollama', () => {
  it('streams NDJSON back restored, line by line', async () => {
    resetRecorded(h);
    const res = await send(agent, 'https://ollama.com/api/chat', {
      body: JSON.stringify({ model: 'llama3', messages: [{ role: 'user', content: PROMPT }] }),
    });
    expect(res.status).toBe(200);
    const lines = res.body
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { message: { content: string }; done: boolean });
    expect(lines.length).toBeGreaterThan(PROMPT.length / 3);
    expect(lines.map((l) => l.message.content).join('')).toBe(PROMPT);
    expect(lines.at(-1)!.done).toBe(true);
    sentToProvider();
  });
});

describe('with restoreToolArguments false', () => {
  let strict: Harness;
  let strictAgent: ProxyAgent;
  beforeAll(async () => {
    strict = await startHarness({ detect: { pseudonyms: { restoreToolArguments: false } } });
    strict.provider.echo = true;
    strictAgent = proxyAgent(strict);
  });
  afterAll(async () => {
    await strictAgent?.close();
    await strict?.close();
  });

  it('restores the text but leaves tools the stand-ins', async () => {
    const stream = anthropicClient({ agent: strictAgent }).messages.stream({
      model: 'claude-test-model',
      max_tokens: 100,
      messages: [{ role: 'user', content: PROMPT }],
      tools: [{ name: 'echo', input_schema: { type: 'object' } }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: PROMPT });
    const input = (final.content[1] as { input: { text: string } }).input.text;
    const sent = strict.provider.requests[0]!.body.toString('utf8');
    expect(input).not.toContain(EMAIL);
    expect(input.match(STAND_IN)).toEqual(sent.match(STAND_IN));
  });
});
