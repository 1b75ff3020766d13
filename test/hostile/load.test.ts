/**
 * Load: waves of 200 concurrent streamed requests, each with a secret. Every stream arrives whole, every
 * request leaves exactly one audit event, and memory does not grow from wave to wave. (The minute-long
 * version of issue 9 is a soak run; this keeps the shape at test size.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch as undiciFetch, type ProxyAgent } from 'undici';
import { openAuditReader } from '../../core/audit/index.js';
import { proxyAgent, resetRecorded } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { CHAT_HEADERS, CHAT_URL, expectNoSecretForwarded } from '../support/hostile.js';
import { AWS_KEY } from '../support/secrets.js';

const CONCURRENT = 200;
const WAVES = 4;
const EVENTS = 20;

let h: Harness;
let agent: ProxyAgent;

beforeAll(async () => {
  h = await startHarness();
  h.provider.streamEvents = EVENTS;
  agent = proxyAgent(h);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

/** One streamed request; returns its request id once the whole stream has been read. */
async function stream(i: number): Promise<string> {
  const res = await undiciFetch(CHAT_URL, {
    method: 'POST',
    headers: { ...CHAT_HEADERS },
    body: JSON.stringify({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: `request ${i}, key ${AWS_KEY}` }],
    }),
    dispatcher: agent,
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  // Whole: every event, then the end marker.
  for (let e = 0; e < EVENTS; e++) expect(text).toContain(`part${e} `);
  expect(text).toContain('data: [DONE]');
  return res.headers.get('x-llmgate-request-id')!;
}

/** Ids of all audit events written so far, one entry per event. */
function auditedIds(): string[] {
  const reader = openAuditReader(h.daemon.paths.auditDb);
  try {
    return [...reader.events()].map((e) => e.id);
  } finally {
    reader.close();
  }
}

describe('200 concurrent streams, wave after wave', () => {
  it('deliver every stream whole, audit every request once, and keep memory flat', async () => {
    resetRecorded(h);
    const ids: string[] = [];
    const rssAfterWave: number[] = [];
    for (let wave = 0; wave < WAVES; wave++) {
      ids.push(
        ...(await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => stream(wave * CONCURRENT + i)))),
      );
      global.gc?.();
      rssAfterWave.push(process.memoryUsage().rss);
    }
    expect(new Set(ids).size).toBe(CONCURRENT * WAVES);
    expect(h.provider.requests).toHaveLength(CONCURRENT * WAVES);
    expectNoSecretForwarded(h);
    // Audit events are written off the request path: wait for all of them.
    let audited = new Set(auditedIds());
    for (let i = 0; i < 100 && ids.some((id) => !audited.has(id)); i++) {
      await sleep(50);
      audited = new Set(auditedIds());
    }
    expect(ids.filter((id) => !audited.has(id))).toEqual([]);
    // Exactly one event each: nothing else was sent, so the log holds as many events as requests.
    expect(auditedIds()).toHaveLength(CONCURRENT * WAVES);
    // After the first wave warmed everything up, later waves must not keep growing the process.
    expect(rssAfterWave[WAVES - 1]! - rssAfterWave[0]!).toBeLessThan(64 * 1024 * 1024);
    resetRecorded(h);
  });
});
