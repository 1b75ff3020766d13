/**
 * Property: whatever the text, wherever the PII sits in it, however the model's answer is cut into events
 * and the events into network chunks, in every provider format, the client reads exactly the original
 * text, and tool-call arguments parse to it too. Drives the real restore stage with an upstream that
 * replays the echoing model's answer (test/support/echo.ts) in random chunks.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVault, type PseudonymVault } from '../../core/pseudonym/index.js';
import { echoAnswer, geminiArrayChunks, type EchoFormat } from '../support/echo.js';
import { NOW, exchangeFor, throughStage } from '../support/restore.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function sseData(body: string): { event: string | undefined; data: J }[] {
  const out: { event: string | undefined; data: J }[] = [];
  for (const block of body.split('\n\n')) {
    const lines = block.split('\n');
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
    if (data.length === 0 || data[0] === '[DONE]') continue;
    const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
    out.push({ event, data: JSON.parse(data.join('\n')) as J });
  }
  return out;
}

/** What an SDK would assemble from a stream: the text, and the tool call's arguments (JSON text). */
function assemble(format: EchoFormat, body: string): { text: string; args: string | undefined } {
  let text = '';
  let args: string | undefined;
  if (format === 'ollama') {
    // NDJSON, as Ollama's clients read it: one message per line.
    const lines = body.split('\n').filter((l) => l !== '');
    for (const line of lines) {
      const data = JSON.parse(line) as J;
      text += data.message?.content ?? '';
      const call = data.message?.tool_calls?.[0];
      if (call) args = JSON.stringify(call.function.arguments);
    }
    expect((JSON.parse(lines.at(-1)!) as J).done).toBe(true);
    return { text, args };
  }
  for (const { event, data } of sseData(body)) {
    switch (format) {
      case 'openai-chat': {
        const delta = data.choices?.[0]?.delta ?? {};
        text += delta.content ?? '';
        const piece = delta.tool_calls?.[0]?.function?.arguments;
        if (piece !== undefined) args = (args ?? '') + piece;
        break;
      }
      case 'openai-responses':
        expect(event).toBe(data.type);
        if (data.type === 'response.output_text.delta') text += data.delta;
        if (data.type === 'response.function_call_arguments.delta') args = (args ?? '') + data.delta;
        if (data.type === 'response.completed') {
          expect(data.response.output[0].content[0].text).toBe(text);
          if (args !== undefined) expect(data.response.output[1].arguments).toBe(args);
        }
        break;
      case 'anthropic':
        expect(event).toBe(data.type);
        if (data.delta?.type === 'text_delta') text += data.delta.text;
        if (data.delta?.type === 'input_json_delta') args = (args ?? '') + data.delta.partial_json;
        break;
      case 'gemini':
        for (const part of data.candidates?.[0]?.content?.parts ?? []) {
          if (typeof part.text === 'string') text += part.text;
          if (part.functionCall) args = JSON.stringify(part.functionCall.args);
        }
        break;
    }
  }
  return { text, args };
}

/** The text of a non-streamed answer and its tool arguments. */
function assembleJson(format: EchoFormat, body: string): { text: string; args: string | undefined } {
  const data = JSON.parse(body) as J;
  switch (format) {
    case 'openai-chat':
      return {
        text: data.choices[0].message.content,
        args: data.choices[0].message.tool_calls?.[0]?.function.arguments,
      };
    case 'openai-responses':
      return { text: data.output[0].content[0].text, args: data.output[1]?.arguments };
    case 'anthropic':
      return { text: data.content[0].text, args: data.content[1] && JSON.stringify(data.content[1].input) };
    case 'gemini': {
      const parts = data.candidates[0].content.parts;
      return { text: parts[0].text, args: parts[1] && JSON.stringify(parts[1].functionCall.args) };
    }
    case 'ollama': {
      const call = data.message.tool_calls?.[0];
      return { text: data.message.content, args: call && JSON.stringify(call.function.arguments) };
    }
  }
}

/** Characters that stress the grammar (brackets, `_`), JSON escaping (`"`, `\`, newlines) and UTF-16. */
const ALPHABET = ['a', 'Z', '7', ' ', '[', ']', '_', '-', '"', '\\', '\n', 'é', '😀', '@', '.', '{', '}'];
const plain = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 12 });
const original = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 16 });
/** Text that looks like a stand-in but was never issued, or stops short of one. */
const nearMiss = fc.constantFrom(
  '[[email_k7q2m9zz]]',
  '[[email_',
  '[[',
  '[[phone_abc]]',
  '[[x_123456]',
  '[[[',
);
const segment = fc.oneof(
  { arbitrary: plain.map((text) => ({ text })), weight: 3 },
  { arbitrary: nearMiss.map((text) => ({ text })), weight: 1 },
  {
    arbitrary: fc.record({ rule: fc.constantFrom('email', 'phone', 'iban', 'my-customers'), original }),
    weight: 3,
  },
);

const scenario = fc.record({
  format: fc.constantFrom<EchoFormat>('openai-chat', 'openai-responses', 'anthropic', 'gemini', 'ollama'),
  segments: fc.array(segment, { minLength: 1, maxLength: 12 }),
  sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
  cuts: fc.array(fc.nat(), { maxLength: 30 }),
  tool: fc.boolean(),
  restoreToolArguments: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function prepare(s: Scenario): { vault: PseudonymVault; sent: string; expected: string } {
  const vault = createVault({ key: randomBytes(32), idleTtlMs: 60_000, maxEntries: 1000 });
  let sent = '';
  let expected = '';
  for (const seg of s.segments) {
    if ('text' in seg) {
      sent += seg.text;
      expected += seg.text;
    } else {
      sent += vault.standIn(seg.rule, seg.original, NOW)!;
      expected += seg.original;
    }
  }
  return { vault, sent, expected };
}

function rotation(sizes: readonly number[]): () => number {
  let i = 0;
  return () => sizes[i++ % sizes.length]!;
}

describe('restoring answers (property)', () => {
  it('gives the client the original text from any stream, cut anywhere, in every format', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { vault, sent, expected } = prepare(s);
        const answer = echoAnswer(s.format, sent, { stream: true, tool: s.tool, size: rotation(s.sizes) });
        const body = Buffer.from(answer.events!.join(''), 'utf8');
        const received = throughStage(vault, exchangeFor(s.format, true), body, {
          restoreToolArguments: s.restoreToolArguments,
          contentType: s.format === 'ollama' ? 'application/x-ndjson' : 'text/event-stream',
          cuts: s.cuts,
        }).body.toString('utf8');
        const { text, args } = assemble(s.format, received);
        expect(text).toBe(expected);
        if (s.tool) {
          expect(JSON.parse(args!)).toEqual({ text: s.restoreToolArguments ? expected : sent });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('gives the client the original text from a Gemini stream sent as one JSON array (no alt=sse)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { vault, sent, expected } = prepare(s);
        const answer = echoAnswer('gemini', sent, { stream: true, tool: s.tool, size: rotation(s.sizes) });
        const body = Buffer.from(geminiArrayChunks(answer.events!).join(''), 'utf8');
        const received = throughStage(vault, exchangeFor('gemini', true), body, {
          restoreToolArguments: s.restoreToolArguments,
          contentType: 'application/json; charset=UTF-8',
          cuts: s.cuts,
        }).body.toString('utf8');
        const elements = JSON.parse(received) as J[];
        let text = '';
        let args: string | undefined;
        for (const element of elements) {
          for (const part of element.candidates?.[0]?.content?.parts ?? []) {
            if (typeof part.text === 'string') text += part.text;
            if (part.functionCall) args = JSON.stringify(part.functionCall.args);
          }
        }
        expect(text).toBe(expected);
        if (s.tool) expect(JSON.parse(args!)).toEqual({ text: s.restoreToolArguments ? expected : sent });
      }),
      { numRuns: 200 },
    );
  });

  it('gives the client the original text from any JSON answer, cut anywhere, in every format', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { vault, sent, expected } = prepare(s);
        const answer = echoAnswer(s.format, sent, { stream: false, tool: s.tool });
        const body = Buffer.from(JSON.stringify(answer.json), 'utf8');
        const received = throughStage(vault, exchangeFor(s.format, false), body, {
          restoreToolArguments: s.restoreToolArguments,
          contentType: 'application/json; charset=utf-8',
          cuts: s.cuts,
        }).body.toString('utf8');
        const { text, args } = assembleJson(s.format, received);
        expect(text).toBe(expected);
        if (s.tool) expect(JSON.parse(args!)).toEqual({ text: s.restoreToolArguments ? expected : sent });
      }),
      { numRuns: 200 },
    );
  });
});
