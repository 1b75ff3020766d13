/**
 * Every field of every supported provider format, through the real daemon, to a fake provider over TLS,
 * with real clients (the official SDKs, curl, undici's fetch). What the provider receives is checked byte
 * for byte: secrets and PII never arrive, provider credentials and benign content arrive unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import {
  ANTHROPIC_TEST_KEY,
  OPENAI_TEST_KEY,
  allStrings,
  anthropicClient,
  curl,
  curlViaProxy,
  only,
  openaiClient,
  proxyAgent,
  resetRecorded,
  send,
} from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { standInOf } from '../support/stand-ins.js';
import { builtinRules } from '../../core/detect/index.js';
import {
  ALL_NEEDLES,
  AWS_KEY,
  CARD,
  DB_URL,
  EMAIL,
  GITHUB_PAT,
  IBAN,
  JWT,
  OPENAI_KEY,
  PRIVATE_KEY,
  SSN,
  URL_PASSWORD_SECRET,
} from '../support/secrets.js';

/** A 1x1 PNG as a data URL. */
const PNG_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
/** Bare base64 long enough to count as media (deterministic bytes, not a real image). */
/** Bare base64 image bytes: a PNG signature, then bytes that are not text. */
const BARE_B64 = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) % 256)),
]).toString('base64');
const GOOGLE_API_KEY = 'goog-test-llmgate-e2e-key-0123456789';
const AZURE_API_KEY = 'azure-test-llmgate-e2e-key-0123456789';

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

/** No needle of any synthetic secret in the raw bytes (read both ways) or in any decoded JSON string. */
function expectNothingSecret(body: Buffer): void {
  const latin1 = body.toString('latin1');
  const utf8 = body.toString('utf8');
  for (const needle of ALL_NEEDLES) {
    expect.soft(latin1.includes(needle), `raw bytes contain ${needle.slice(0, 16)}…`).toBe(false);
    expect.soft(utf8.includes(needle), `UTF-8 text contains ${needle.slice(0, 16)}…`).toBe(false);
  }
  expect(utf8).toMatch(/\[REDACTED:|\[\[[a-z-]+_/);
  let strings: string[] = [];
  try {
    strings = allStrings(JSON.parse(utf8) as unknown);
  } catch {
    strings = [utf8];
  }
  for (const s of strings) {
    for (const needle of ALL_NEEDLES) {
      expect.soft(s.includes(needle), `a decoded string contains ${needle.slice(0, 16)}…`).toBe(false);
    }
  }
}

/**
 * One field as the provider got it: redacted by `rule` (PII pseudonymized by default, so a stand-in of
 * that rule; a secret's placeholder otherwise), no secret left in it.
 */
function expectRedacted(value: unknown, field: string, rule: string): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (builtinRules.find((r) => r.id === rule)?.category === 'pii')
    expect.soft(text, field).toMatch(standInOf(rule));
  else expect.soft(text, field).toContain(`[REDACTED:${rule}]`);
  for (const needle of ALL_NEEDLES)
    expect.soft(text.includes(needle), `${field} still holds a secret`).toBe(false);
}

// The recorded body is JSON of arbitrary shape; tests index into it as the format says.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function recordedJson(): { body: Json; raw: Buffer; headers: Record<string, unknown>; url: string } {
  const got = only(h);
  return {
    body: JSON.parse(got.body.toString('utf8')) as Json,
    raw: got.body,
    headers: got.headers,
    url: got.url,
  };
}

describe('OpenAI formats through HTTPS_PROXY with the OpenAI SDK', () => {
  it('redacts the system message, a user string, a content-part text, tool-call arguments and a tool result in a chat request', async () => {
    resetRecorded(h);
    const reply = await openaiClient({ agent }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: `Deploy with ${AWS_KEY}` },
        { role: 'user', content: `Mail ${EMAIL} about the order` },
        {
          role: 'user',
          content: [
            { type: 'text', text: `my token is ${GITHUB_PAT}` },
            { type: 'image_url', image_url: { url: PNG_DATA_URL } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: {
                name: 'query_db',
                arguments: JSON.stringify({ dsn: DB_URL, filter: { ssn: SSN }, cards: [CARD] }),
              },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: `rows for ${IBAN}; session ${JWT}` },
      ],
    });
    expect(reply.choices[0]?.message.content).toBe('hello from fake');

    const { body, raw, headers, url } = recordedJson();
    expect(url).toBe('/v1/chat/completions');
    expectRedacted(body.messages[0].content, 'system content', 'aws-access-key-id');
    expectRedacted(body.messages[1].content, 'user string content', 'email');
    expectRedacted(body.messages[2].content[0].text, 'content-part text', 'github-pat');
    // Tool-call arguments stay a JSON document in a string, with each member redacted inside it.
    const args = JSON.parse(body.messages[3].tool_calls[0].function.arguments as string) as Json;
    expectRedacted(args.dsn, 'tool-call arguments .dsn', 'url-credentials');
    expectRedacted(args.filter.ssn, 'tool-call arguments .filter.ssn', 'us-ssn');
    expectRedacted(args.cards[0], 'tool-call arguments .cards[0]', 'credit-card');
    expectRedacted(body.messages[4].content, 'tool message content', 'iban');
    expectRedacted(body.messages[4].content, 'tool message content', 'jwt');
    expect(body.messages[2].content[1].image_url.url).toBe(PNG_DATA_URL);
    expectNothingSecret(raw);
    expect(headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`);
  });

  it('redacts instructions, input messages, input_text parts, function_call arguments and outputs in a Responses request', async () => {
    resetRecorded(h);
    await openaiClient({ agent }).responses.create({
      model: 'gpt-4.1-mini',
      instructions: `Always use ${AWS_KEY}`,
      input: [
        { role: 'user', content: `Hi, I am ${EMAIL}` },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: `pat ${GITHUB_PAT}` }] },
        {
          type: 'function_call',
          call_id: 'fc_1',
          name: 'lookup',
          arguments: JSON.stringify({ card: CARD, where: { iban: IBAN } }),
        },
        { type: 'function_call_output', call_id: 'fc_1', output: `found ${SSN}` },
      ],
    });
    const { body, raw, headers, url } = recordedJson();
    expect(url).toBe('/v1/responses');
    expectRedacted(body.instructions, 'instructions', 'aws-access-key-id');
    expectRedacted(body.input[0].content, 'input[0].content', 'email');
    expectRedacted(body.input[1].content[0].text, 'input_text', 'github-pat');
    const args = JSON.parse(body.input[2].arguments as string) as Json;
    expectRedacted(args.card, 'function_call arguments .card', 'credit-card');
    expectRedacted(args.where.iban, 'function_call arguments .where.iban', 'iban');
    expectRedacted(body.input[3].output, 'function_call_output', 'us-ssn');
    expectNothingSecret(raw);
    expect(headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`);
  });

  it('redacts a Responses request whose input is a plain string', async () => {
    resetRecorded(h);
    await openaiClient({ agent }).responses.create({ model: 'gpt-4.1-mini', input: `connect to ${DB_URL}` });
    const { body, raw } = recordedJson();
    expectRedacted(body.input, 'input', 'url-credentials');
    expectNothingSecret(raw);
  });

  it('redacts embeddings input given as a string and as an array', async () => {
    const client = openaiClient({ agent });
    resetRecorded(h);
    await client.embeddings.create({ model: 'text-embedding-3-small', input: `key ${OPENAI_KEY}` });
    let got = recordedJson();
    expectRedacted(got.body.input, 'input (string)', 'openai-api-key');
    expectNothingSecret(got.raw);

    resetRecorded(h);
    await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: [`a ${JWT}`, 'clean', `b ${EMAIL}`],
    });
    got = recordedJson();
    expectRedacted(got.body.input[0], 'input[0]', 'jwt');
    expect(got.body.input[1]).toBe('clean');
    expectRedacted(got.body.input[2], 'input[2]', 'email');
    expectNothingSecret(got.raw);
  });

  it('redacts the prompt of a legacy completions request, string or array', async () => {
    const client = openaiClient({ agent });
    resetRecorded(h);
    await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: `${PRIVATE_KEY}\nsign this` });
    let got = recordedJson();
    expectRedacted(got.body.prompt, 'prompt', 'private-key');
    expectNothingSecret(got.raw);

    resetRecorded(h);
    await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: [`card ${CARD}`, `ssn ${SSN}`],
    });
    got = recordedJson();
    expectRedacted(got.body.prompt[0], 'prompt[0]', 'credit-card');
    expectRedacted(got.body.prompt[1], 'prompt[1]', 'us-ssn');
    expectNothingSecret(got.raw);
  });

  it('redacts a Mistral (OpenAI-compatible) chat request and keeps its Authorization header', async () => {
    resetRecorded(h);
    await openaiClient({ agent, baseURL: 'https://api.mistral.ai/v1' }).chat.completions.create({
      model: 'mistral-small-latest',
      messages: [
        { role: 'system', content: `ops mail ${EMAIL}` },
        { role: 'user', content: `aws ${AWS_KEY} and db ${DB_URL}` },
      ],
    });
    const { body, raw, headers, url } = recordedJson();
    expect(url).toBe('/v1/chat/completions');
    expectRedacted(body.messages[0].content, 'system', 'email');
    expectRedacted(body.messages[1].content, 'user', 'aws-access-key-id');
    expectRedacted(body.messages[1].content, 'user', 'url-credentials');
    expectNothingSecret(raw);
    expect(headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`);
  });
});

describe('Azure OpenAI through HTTPS_PROXY with curl', () => {
  it('redacts a deployment chat request and keeps the api-key header and the api-version query', async () => {
    resetRecorded(h);
    const path = '/openai/deployments/d1/chat/completions?api-version=2024-10-21';
    const sent = JSON.stringify({
      messages: [
        { role: 'system', content: `key ${AWS_KEY}` },
        { role: 'user', content: [{ type: 'text', text: `iban ${IBAN}` }] },
      ],
    });
    const res = await curl(
      [
        ...curlViaProxy(h),
        '-H',
        'content-type: application/json',
        '-H',
        `api-key: ${AZURE_API_KEY}`,
        '--data-binary',
        '@-',
        `https://myres.openai.azure.com${path}`,
      ],
      sent,
    );
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.status).toBe(200);
    const { body, raw, headers, url } = recordedJson();
    expect(url).toBe(path);
    expectRedacted(body.messages[0].content, 'system', 'aws-access-key-id');
    expectRedacted(body.messages[1].content[0].text, 'content-part text', 'iban');
    expectNothingSecret(raw);
    expect(headers['api-key']).toBe(AZURE_API_KEY);
  });
});

describe('Anthropic Messages through HTTPS_PROXY with the Anthropic SDK', () => {
  it('redacts a string system prompt, text blocks, a text document, tool_use input and tool_result content', async () => {
    resetRecorded(h);
    const reply = await anthropicClient({ agent }).messages.create({
      model: 'claude-test-model',
      max_tokens: 64,
      system: `Use ${AWS_KEY} for deploys`,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: `I am ${EMAIL}` },
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: `pat ${GITHUB_PAT}` },
            },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: BARE_B64 } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'tu_1', name: 'run_sql', input: { dsn: DB_URL, args: [CARD] } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'tu_1', content: `matched ${IBAN}` },
            { type: 'tool_result', tool_use_id: 'tu_2', content: [{ type: 'text', text: `token ${JWT}` }] },
          ],
        },
      ],
    });
    expect(reply.content[0]).toMatchObject({ type: 'text', text: 'hello from fake' });
    const { body, raw, headers, url } = recordedJson();
    expect(url).toBe('/v1/messages');
    expectRedacted(body.system, 'system (string)', 'aws-access-key-id');
    expectRedacted(body.messages[0].content[0].text, 'text block', 'email');
    expectRedacted(body.messages[0].content[1].source.data, 'document text source', 'github-pat');
    expect(body.messages[0].content[2].source.data).toBe(BARE_B64);
    expectRedacted(body.messages[1].content[0].input.dsn, 'tool_use input .dsn', 'url-credentials');
    expectRedacted(body.messages[1].content[0].input.args[0], 'tool_use input .args[0]', 'credit-card');
    expectRedacted(body.messages[2].content[0].content, 'tool_result string content', 'iban');
    expectRedacted(body.messages[2].content[1].content[0].text, 'tool_result block content', 'jwt');
    expectNothingSecret(raw);
    expect(headers['x-api-key']).toBe(ANTHROPIC_TEST_KEY);
    expect(headers.authorization).toBe(`Bearer ${ANTHROPIC_TEST_KEY}`);
  });

  it('redacts a system prompt given as text blocks', async () => {
    resetRecorded(h);
    await anthropicClient({ agent }).messages.create({
      model: 'claude-test-model',
      max_tokens: 16,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: `on-call ssn ${SSN}` },
      ],
      messages: [{ role: 'user', content: `mail ${EMAIL}` }],
    });
    const { body, raw, headers } = recordedJson();
    expect(body.system[0].text).toBe('You are terse.');
    expectRedacted(body.system[1].text, 'system[1].text', 'us-ssn');
    expectRedacted(body.messages[0].content, 'user string content', 'email');
    expectNothingSecret(raw);
    expect(headers['x-api-key']).toBe(ANTHROPIC_TEST_KEY);
    expect(headers.authorization).toBe(`Bearer ${ANTHROPIC_TEST_KEY}`);
  });
});

describe('Gemini generateContent through HTTPS_PROXY with undici fetch', () => {
  const body = {
    systemInstruction: { parts: [{ text: `deploy key ${AWS_KEY}` }] },
    contents: [
      {
        role: 'user',
        parts: [{ text: `write to ${EMAIL}` }, { inlineData: { mimeType: 'image/png', data: BARE_B64 } }],
      },
      { role: 'model', parts: [{ functionCall: { name: 'lookup', args: { dsn: DB_URL, ids: [SSN] } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { card: CARD } } }] },
    ],
    generationConfig: { temperature: 0.2 },
  };

  function expectGeminiRedacted(): Record<string, unknown> {
    const { body: got, raw, headers } = recordedJson();
    expectRedacted(got.systemInstruction.parts[0].text, 'systemInstruction', 'aws-access-key-id');
    expectRedacted(got.contents[0].parts[0].text, 'contents parts text', 'email');
    expect(got.contents[0].parts[1].inlineData.data).toBe(BARE_B64);
    expectRedacted(
      got.contents[1].parts[0].functionCall.args.dsn,
      'functionCall args .dsn',
      'url-credentials',
    );
    expectRedacted(got.contents[1].parts[0].functionCall.args.ids[0], 'functionCall args .ids[0]', 'us-ssn');
    expectRedacted(
      got.contents[2].parts[0].functionResponse.response.card,
      'functionResponse',
      'credit-card',
    );
    expectNothingSecret(raw);
    return headers;
  }

  it('redacts contents parts, systemInstruction and functionCall args, and keeps x-goog-api-key', async () => {
    resetRecorded(h);
    const res = await send(
      agent,
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent',
      {
        headers: { 'content-type': 'application/json', 'x-goog-api-key': GOOGLE_API_KEY },
        body: JSON.stringify(body),
      },
    );
    expect(res.status).toBe(200);
    const headers = expectGeminiRedacted();
    expect(headers['x-goog-api-key']).toBe(GOOGLE_API_KEY);
  });

  it('keeps an API key in the ?key= query unchanged', async () => {
    resetRecorded(h);
    const path = `/v1beta/models/gemini-2.0-flash:generateContent?key=${GOOGLE_API_KEY}`;
    const res = await send(agent, `https://generativelanguage.googleapis.com${path}`, {
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expectGeminiRedacted();
    expect(only(h).url).toBe(path);
  });
});

describe('Ollama through HTTPS_PROXY with undici fetch', () => {
  it('redacts an ollama.com /api/chat request and leaves its images untouched', async () => {
    resetRecorded(h);
    const res = await send(agent, 'https://ollama.com/api/chat', {
      headers: { 'content-type': 'application/json', authorization: 'Bearer ollama-test-key' },
      body: JSON.stringify({
        model: 'llama3.2',
        stream: false,
        messages: [
          { role: 'system', content: `aws ${AWS_KEY}` },
          { role: 'user', content: `card ${CARD}, mail ${EMAIL}`, images: [BARE_B64] },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const { body, raw, headers, url } = recordedJson();
    expect(url).toBe('/api/chat');
    expectRedacted(body.messages[0].content, 'system', 'aws-access-key-id');
    expectRedacted(body.messages[1].content, 'user', 'credit-card');
    expectRedacted(body.messages[1].content, 'user', 'email');
    expect(body.messages[1].images[0]).toBe(BARE_B64);
    expectNothingSecret(raw);
    expect(headers.authorization).toBe('Bearer ollama-test-key');
  });
});

describe('bytes the provider receives', () => {
  const CHAT = 'https://api.openai.com/v1/chat/completions';
  const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };

  it('forwards a request with nothing to redact byte for byte: hashes, ids, numbers, whitespace, key order, media', async () => {
    resetRecorded(h);
    const sent = Buffer.from(
      [
        '{ "temperature" :3.14159,"top_p":1e-7 ,"seed":-0,"logit_bias":{"50256":-100},"n":1E+0,',
        '\t"messages":[ {"content":"sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,',
        ' request 3f2504e0-4f89-11d3-9a0c-0305e82c3301, commit 9fceb02d0ae598e95dc970b74767f19372d61af8,',
        ' pi \\u03c0 = 3.14159, caf\\u00e9, \\"quoted\\", emoji 😀, tab\\there","role":"user"},',
        `\r\n  {"role":"user","content":[{"type":"image_url","image_url":{"detail":"low","url":"${PNG_DATA_URL}"}}]}],`,
        '   "model":"gpt-4o",  "metadata":{"z":[],"a":{}, "b":null,"t":true}  }\n',
      ].join(''),
      'utf8',
    );
    JSON.parse(sent.toString('utf8')); // the test body is valid JSON
    const res = await send(agent, CHAT, { headers: HEADERS, body: sent });
    expect(res.status).toBe(200);
    const got = only(h);
    expect(got.body.equals(sent), `arrived as:\n${got.body.toString('utf8')}`).toBe(true);
  });

  it('changes only the redacted string: every byte before and after it is unchanged', async () => {
    resetRecorded(h);
    const before = '{ "model":"gpt-4o","temperature":3.14159 ,\n "messages":[{"role":"user","content":';
    const secretString = JSON.stringify(`deploy with ${AWS_KEY} today`);
    const after = `},\t{"role":"user","content":[{"type":"image_url","image_url":{"url":"${PNG_DATA_URL}"}}]}],"seed": -0 , "x":1e-7}`;
    const sent = Buffer.from(before + secretString + after, 'utf8');
    await send(agent, CHAT, { headers: HEADERS, body: sent });
    const got = only(h).body;
    const pre = Buffer.from(before, 'utf8');
    const post = Buffer.from(after, 'utf8');
    expect(got.subarray(0, pre.length).equals(pre)).toBe(true);
    expect(got.subarray(got.length - post.length).equals(post)).toBe(true);
    expect(got.subarray(pre.length, got.length - post.length).toString('utf8')).toBe(
      JSON.stringify('deploy with [REDACTED:aws-access-key-id] today'),
    );
  });

  it('redacts a secret written with \\u escapes', async () => {
    resetRecorded(h);
    // "\u0041KIA…": the A is an escape, so the raw bytes never spell AKIA.
    const escapedAws = `\\u0041${AWS_KEY.slice(1)}`;
    // Every character of the GitHub token escaped.
    const escapedPat = [...GITHUB_PAT]
      .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('');
    const sent = `{"model":"gpt-4o","messages":[{"role":"user","content":"key ${escapedAws} and ${escapedPat}"}]}`;
    await send(agent, CHAT, { headers: HEADERS, body: sent });
    const got = only(h).body.toString('utf8');
    expect(got).not.toContain(AWS_KEY.slice(1));
    expect(got).not.toContain(GITHUB_PAT);
    expect(got).not.toContain(escapedPat);
    expect(got).toContain('[REDACTED:aws-access-key-id]');
    expect(got).toContain('[REDACTED:github-pat]');
    expectNothingSecret(only(h).body);
  });

  it('redacts a URL password when the URL is written with \\/ escapes', async () => {
    resetRecorded(h);
    const escapedUrl = DB_URL.replace(/\//g, '\\/');
    const sent = `{"model":"gpt-4o","messages":[{"role":"user","content":"db: ${escapedUrl}"}]}`;
    await send(agent, CHAT, { headers: HEADERS, body: sent });
    const got = only(h).body.toString('utf8');
    expect(got).not.toContain(URL_PASSWORD_SECRET);
    expect(got).toContain('[REDACTED:url-credentials]');
  });

  it('redacts a secret used as an object key', async () => {
    resetRecorded(h);
    const sent = JSON.stringify({ model: 'gpt-4o', metadata: { [AWS_KEY]: 'value' }, messages: [] });
    await send(agent, CHAT, { headers: HEADERS, body: sent });
    const got = only(h).body.toString('utf8');
    expect(got).not.toContain(AWS_KEY);
    expect(got).toContain('[REDACTED:aws-access-key-id]');
  });
});

describe('attachments that are text in base64', () => {
  // Text files attached as base64 are prompt text too: decodable, so they can be scanned.
  const textFile = Buffer.from(`config dump\naws_access_key_id = ${AWS_KEY}\n`).toString('base64');

  it('does not forward a secret inside a base64 text/plain file part of an OpenAI chat request', async () => {
    resetRecorded(h);
    const res = await send(agent, 'https://api.openai.com/v1/chat/completions', {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` },
      body: JSON.stringify({
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this file?' },
              {
                type: 'file',
                file: { filename: 'config.txt', file_data: `data:text/plain;base64,${textFile}` },
              },
            ],
          },
        ],
      }),
    });
    if (res.status === 200) {
      const got = only(h).body.toString('utf8');
      expect(got, 'the base64 text file reached the provider unchanged').not.toContain(textFile);
    } else {
      // Refusing what it will not decode is acceptable too; forwarding it unscanned is not.
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(h.provider.requests).toHaveLength(0);
    }
  });

  it('does not forward a secret inside a base64 text/plain inlineData part of a Gemini request', async () => {
    resetRecorded(h);
    const res = await send(
      agent,
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent',
      {
        body: JSON.stringify({
          contents: [
            {
              role: 'user',
              parts: [{ text: 'Summarise' }, { inlineData: { mimeType: 'text/plain', data: textFile } }],
            },
          ],
        }),
      },
    );
    if (res.status === 200) {
      expect(
        only(h).body.toString('utf8'),
        'the base64 text part reached the provider unchanged',
      ).not.toContain(textFile);
    } else {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(h.provider.requests).toHaveLength(0);
    }
  });
});
