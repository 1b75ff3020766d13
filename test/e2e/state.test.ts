/**
 * What a run leaves on disk. After requests carrying every kind of synthetic secret, through every capture
 * mode, no file under $LLMGATE_HOME holds any of them (nor a provider credential); the audit log holds one
 * event per request with the contract's fields; state files are owner-only.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { openAuditReader, type AuditEvent } from '../../core/audit/index.js';
import {
  ANTHROPIC_TEST_KEY,
  OPENAI_TEST_KEY,
  anthropicClient,
  curl,
  openaiClient,
  proxyAgent,
  send,
  type Sent,
} from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
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
} from '../support/secrets.js';

/** A Google API key in the URL query: a provider credential that must pass through and never be stored. */
const GOOGLE_QUERY_KEY = 'AIzaSyD3k9Lq2Wm8Xv5Tn1Rb7Hc4Jf6Gs0YpQeU';
/** A secret sent only in a request body's top-level `model` member. */
const MODEL_SECRET = 'AKIAM5N3P7Q2R6S4TWV7';
const MAX_BODY = 64 * 1024;

const CONTRACT_FIELDS = [
  'id',
  'time',
  'user',
  'device',
  'host',
  'provider',
  'method',
  'path',
  'model',
  'stream',
  'decision',
  'rules',
  'redactions',
  'status',
  'latencyMs',
  'bytes',
  'usage',
  'prevHash',
  'hash',
] as const;

interface Sentinel {
  title: string;
  requestId: string;
  status: number;
  decision: AuditEvent['decision'];
  rules: string[];
}

let h: Harness;
let agent: ProxyAgent;
const sentinels: Sentinel[] = [];
let modes: Record<'home' | 'caDir' | 'caKey' | 'controlSocket' | 'auditDb', number>;
let files: { file: string; bytes: Buffer }[] = [];
let events: AuditEvent[] = [];

function track(
  title: string,
  res: { status: number; requestId: string | null },
  decision: Sentinel['decision'],
  rules: string[],
): void {
  if (res.requestId === null) throw new Error(`${title}: no x-llmgate-request-id`);
  sentinels.push({ title, requestId: res.requestId, status: res.status, decision, rules: [...rules].sort() });
}

function fromSent(res: Sent): { status: number; requestId: string | null } {
  return { status: res.status, requestId: res.headers.get('x-llmgate-request-id') };
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

beforeAll(async () => {
  h = await startHarness({ proxy: { port: 0, maxBodyBytes: MAX_BODY } });
  agent = proxyAgent(h);
  const openai = openaiClient({ agent });

  {
    const { response } = await openai.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: `aws ${AWS_KEY} pat ${GITHUB_PAT}` },
          { role: 'user', content: `mail ${EMAIL}, card ${CARD}, iban ${IBAN}, ssn ${SSN}` },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'c1',
                type: 'function',
                function: { name: 'f', arguments: JSON.stringify({ dsn: DB_URL, jwt: JWT }) },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'c1', content: `${PRIVATE_KEY}\nand ${OPENAI_KEY}` },
        ],
      })
      .withResponse();
    track(
      'OpenAI chat with every kind of secret',
      { status: response.status, requestId: response.headers.get('x-llmgate-request-id') },
      'redact',
      [
        'aws-access-key-id',
        'github-pat',
        'email',
        'credit-card',
        'iban',
        'us-ssn',
        'url-credentials',
        'jwt',
        'private-key',
        'openai-api-key',
      ],
    );
  }
  {
    const { data: stream, response } = await openai.chat.completions
      .create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: `stream ${AWS_KEY}` }],
      })
      .withResponse();
    for await (const _ of stream) {
      // drain
    }
    track(
      'OpenAI chat stream',
      { status: response.status, requestId: response.headers.get('x-llmgate-request-id') },
      'redact',
      ['aws-access-key-id'],
    );
  }
  {
    const { response } = await anthropicClient({ agent })
      .messages.create({
        model: 'claude-test-model',
        max_tokens: 8,
        system: `ssn ${SSN}`,
        messages: [{ role: 'user', content: [{ type: 'text', text: `iban ${IBAN} jwt ${JWT}` }] }],
      })
      .withResponse();
    track(
      'Anthropic messages',
      { status: response.status, requestId: response.headers.get('x-llmgate-request-id') },
      'redact',
      ['us-ssn', 'iban', 'jwt'],
    );
  }
  {
    const res = await send(
      agent,
      `https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=${GOOGLE_QUERY_KEY}`,
      { body: JSON.stringify({ contents: [{ parts: [{ text: `card ${CARD}` }] }] }) },
    );
    track('Gemini with ?key=', fromSent(res), 'redact', ['credit-card']);
  }
  {
    const res = await send(agent, 'https://api.openai.com/v1/chat/completions', {
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${OPENAI_TEST_KEY}`,
      },
      body: zlib.gzipSync(
        JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `gz ${EMAIL}` }] }),
      ),
    });
    track('gzip body', fromSent(res), 'redact', ['email']);
  }
  {
    const res = await send(agent, 'https://api.openai.com/v1/chat/completions', {
      body: `{"model":"gpt-4o","messages":[{"content":"broken ${GITHUB_PAT}"`,
    });
    track('malformed JSON (refused)', fromSent(res), 'block', ['invalid-json']);
  }
  {
    const res = await send(agent, 'https://api.openai.com/v1/chat/completions', {
      headers: { 'content-type': 'application/octet-stream' },
      body: `opaque ${AWS_KEY}`,
    });
    track('unscannable body (refused)', fromSent(res), 'block', ['unscannable-body']);
  }
  {
    const { response } = await openaiClient({ baseURL: h.env.baseUrls.openai })
      .embeddings.create({ model: 'text-embedding-3-small', input: `base url ${DB_URL}` })
      .withResponse();
    track(
      'base-URL mode embeddings',
      { status: response.status, requestId: response.headers.get('x-llmgate-request-id') },
      'redact',
      ['url-credentials'],
    );
  }
  {
    const res = await curl(
      [
        '--proxy',
        h.env.proxyUrlWithCredentials,
        '-D',
        '-',
        '-H',
        'content-type: application/json',
        '--data-binary',
        '@-',
        'http://api.openai.com/v1/completions',
      ],
      JSON.stringify({ model: 'gpt-3.5-turbo-instruct', prompt: `plain http ${SSN}` }),
    );
    const requestId = /x-llmgate-request-id: ([0-9a-f-]+)/i.exec(res.body.toString('latin1'))?.[1] ?? null;
    track('plain-HTTP proxy request', { status: res.status, requestId }, 'redact', ['us-ssn']);
  }
  {
    // Non-provider host: tunnelled blind, so not an audit event, and its bytes are never looked at or kept.
    const res = await curl([
      '--proxy',
      h.env.proxyUrlWithCredentials,
      '-k',
      '--data-binary',
      `tunnel ${JWT}`,
      `https://localhost:${h.provider.port}/x`,
    ]);
    if (res.status !== 200) throw new Error(`tunnel request failed: ${res.stderr}`);
  }

  modes = {
    home: await modeOf(h.home),
    caDir: await modeOf(h.daemon.paths.caDir),
    caKey: await modeOf(h.daemon.paths.caKey),
    controlSocket: (await stat(h.daemon.paths.controlSocket)).mode & 0o777,
    auditDb: await modeOf(h.daemon.paths.auditDb),
  };
  // Read the audit log while the daemon still runs (WAL and SHM files exist now), then stop and read again.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const whileRunning = await Promise.all(
    (await listFiles(h.home)).map(async (file) => ({ file, bytes: await readFile(file) })),
  );
  await h.daemon.stop();
  const afterStop = await Promise.all(
    (await listFiles(h.home)).map(async (file) => ({ file, bytes: await readFile(file) })),
  );
  files = [...whileRunning, ...afterStop];
  const reader = openAuditReader(h.daemon.paths.auditDb);
  try {
    events = [...reader.events()];
  } finally {
    reader.close();
  }
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

/** Files under home (excluding the harness's own test CA file) that contain `needle` as UTF-8 or latin1 text. */
function filesContaining(needle: string): string[] {
  const hits = new Set<string>();
  const utf8 = Buffer.from(needle, 'utf8');
  const latin1 = Buffer.from(needle, 'latin1');
  const utf16 = Buffer.from(needle, 'utf16le');
  for (const { file, bytes } of files) {
    if (bytes.includes(utf8) || bytes.includes(latin1) || bytes.includes(utf16))
      hits.add(path.relative(h.home, file));
  }
  return [...hits];
}

describe('state under $LLMGATE_HOME after a run of requests carrying secrets', () => {
  it('holds the WAL, SHM, CA and audit files the scan below covers', () => {
    const names = new Set(files.map(({ file }) => path.relative(h.home, file)));
    for (const name of [
      'audit.db',
      'audit.db-wal',
      'ca/llmgate-ca.key',
      'ca/llmgate-ca.pem',
      'ca/trust-bundle.pem',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it('contains no secret or PII value in any file, in any encoding', () => {
    for (const needle of ALL_NEEDLES) {
      expect.soft(filesContaining(needle), `files holding ${needle.slice(0, 16)}…`).toEqual([]);
    }
  });

  it('contains no provider credential: Authorization, x-api-key or ?key=', () => {
    for (const needle of [OPENAI_TEST_KEY, ANTHROPIC_TEST_KEY, GOOGLE_QUERY_KEY]) {
      expect.soft(filesContaining(needle), `files holding ${needle}`).toEqual([]);
    }
  });

  it('records exactly one audit event per request', () => {
    for (const s of sentinels) {
      expect
        .soft(
          events.filter((e) => e.id === s.requestId),
          s.title,
        )
        .toHaveLength(1);
    }
    expect(events).toHaveLength(sentinels.length);
  });

  it('gives every audit event the contract fields', () => {
    for (const event of events) {
      expect(Object.keys(event)).toEqual(expect.arrayContaining([...CONTRACT_FIELDS]));
      expect(event.time).toBe(new Date(event.time).toISOString());
      expect(event.user).toMatch(/^local:/);
      expect(event.device).not.toBe('');
      expect(event.method).toBe('POST');
      expect(event.latencyMs).toBeGreaterThanOrEqual(0);
      expect(event.bytes.request).toBeGreaterThan(0);
    }
  });

  it('records each request with decision and rule ids, and a count per redacted rule', () => {
    for (const s of sentinels) {
      const event = events.find((e) => e.id === s.requestId);
      if (event === undefined) continue; // reported by the test above
      expect.soft(event.decision, s.title).toBe(s.decision);
      expect.soft([...event.rules].sort(), s.title).toEqual(s.rules);
      if (s.decision === 'redact') {
        expect.soft(Object.keys(event.redactions).sort(), s.title).toEqual(s.rules);
        for (const n of Object.values(event.redactions)) expect.soft(n, s.title).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('records the HTTP status the client received, refusals included', () => {
    for (const s of sentinels) {
      const event = events.find((e) => e.id === s.requestId);
      if (event === undefined) continue;
      expect.soft(event.status, s.title).toBe(s.status);
    }
  });

  it('stores audit paths without their query string', () => {
    for (const event of events) expect(event.path).not.toContain('?');
    const gemini = events.find((e) => e.provider === 'gemini');
    expect(gemini?.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
  });

  it('records hosts and providers as the client addressed them', () => {
    const byTitle = (title: string): AuditEvent | undefined =>
      events.find((e) => e.id === sentinels.find((s) => s.title === title)?.requestId);
    expect(byTitle('Anthropic messages')).toMatchObject({ host: 'api.anthropic.com', provider: 'anthropic' });
    expect(byTitle('base-URL mode embeddings')).toMatchObject({
      host: 'api.openai.com',
      provider: 'openai',
      path: '/v1/embeddings',
    });
    expect(byTitle('OpenAI chat stream')).toMatchObject({ stream: true, model: 'gpt-fake' });
  });

  it('keeps home 0700, the CA key, control socket and audit log 0600', () => {
    expect(modes.home.toString(8)).toBe('700');
    expect(modes.caKey.toString(8)).toBe('600');
    expect(modes.controlSocket.toString(8)).toBe('600');
    expect(modes.auditDb.toString(8)).toBe('600');
    expect(modes.caDir & 0o077).toBe(0);
  });
});

describe('state after requests llmgate refuses or redacts in unusual places', () => {
  let h2: Harness;
  let agent2: ProxyAgent;
  let modelRequestId: string | null = null;
  let oversizeStatus = 0;
  let events2: AuditEvent[] = [];
  let files2: { file: string; bytes: Buffer }[] = [];

  beforeAll(async () => {
    h2 = await startHarness({ proxy: { port: 0, maxBodyBytes: 4096 } });
    agent2 = proxyAgent(h2);
    // The fake answers this Azure URL without a `model` member, so the audit event takes the request's.
    const res = await send(
      agent2,
      'https://myres.openai.azure.com/openai/deployments/d1/chat/completions?api-version=2024-10-21',
      {
        body: JSON.stringify({ model: MODEL_SECRET, messages: [{ role: 'user', content: 'hi' }] }),
      },
    );
    modelRequestId = res.headers.get('x-llmgate-request-id');
    const oversize = await send(agent2, 'https://api.openai.com/v1/chat/completions', {
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(8000) }] }),
    });
    oversizeStatus = oversize.status;
    await h2.daemon.stop();
    files2 = await Promise.all(
      (await listFiles(h2.home)).map(async (file) => ({ file, bytes: await readFile(file) })),
    );
    const reader = openAuditReader(h2.daemon.paths.auditDb);
    try {
      events2 = [...reader.events()];
    } finally {
      reader.close();
    }
  });

  afterAll(async () => {
    await agent2?.close();
    await h2?.close();
  });

  it('redacts a secret in the request model member before the provider sees it', () => {
    const got = h2.provider.requests[0]!.body.toString('utf8');
    expect(got).not.toContain(MODEL_SECRET);
    expect(got).toContain('[REDACTED:aws-access-key-id]');
  });

  it('does not write a secret sent as the request model to the audit log', () => {
    const event = events2.find((e) => e.id === modelRequestId);
    expect(event).toBeDefined();
    expect(event!.model ?? '').not.toContain(MODEL_SECRET);
    const holding = files2
      .filter(({ bytes }) => bytes.includes(Buffer.from(MODEL_SECRET)))
      .map(({ file }) => path.relative(h2.home, file));
    expect(holding).toEqual([]);
  });

  it('records a request refused for its size (413) as a blocked audit event and counts it', () => {
    expect(oversizeStatus).toBe(413);
    const blocked = events2.filter((e) => e.decision === 'block');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({ rules: ['body-too-large'], status: 413 });
    expect(h2.daemon.status().counters.blocks).toBe(1);
  });
});
