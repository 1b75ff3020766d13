/**
 * The life of one exchange through the real daemon: what the audit log records for a plain JSON answer,
 * what happens when the client leaves early or upstream sends informational responses first, and that
 * one home runs one daemon.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { openAuditReader } from '../../core/audit/index.js';
import { startDaemon } from '../../core/daemon/index.js';
import { OPENAI_TEST_KEY, auditEventFor, proxyAgent, resetRecorded, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const BODY = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] });

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

describe('one exchange, start to end', () => {
  it('records the model and token usage a plain (non-streamed) JSON answer reports', async () => {
    const res = await send(agent, CHAT, { headers: HEADERS, body: BODY });
    expect(res.status).toBe(200);
    const event = await auditEventFor(h, res.headers.get('x-llmgate-request-id')!);
    expect(event.model).toBe('gpt-fake');
    expect(event.usage).toEqual({ inputTokens: 11, outputTokens: 3 });
  });

  it('passes on only the final response when upstream sends 103 Early Hints first', async () => {
    h.provider.earlyHints = true;
    try {
      const res = await send(agent, CHAT, { headers: HEADERS, body: BODY });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ object: 'chat.completion' });
    } finally {
      h.provider.earlyHints = false;
    }
  });

  it('cancels the upstream request when the client leaves before the answer, and audits it', async () => {
    resetRecorded(h);
    h.provider.holdMs = 1_000;
    const before = h.provider.cancelled;
    const controller = new AbortController();
    const pending = send(agent, CHAT, { headers: HEADERS, body: BODY, signal: controller.signal }).catch(
      (err: unknown) => err,
    );
    try {
      while (h.provider.requests.length === 0) await sleep(10);
      controller.abort();
      await pending;
      await sleep(h.provider.holdMs + 200);
      expect(h.provider.cancelled).toBe(before + 1);
      const reader = openAuditReader(h.daemon.paths.auditDb);
      try {
        const events = [...reader.events()];
        expect(events.at(-1)).toMatchObject({ error: 'LG_PROXY_CLIENT_CLOSED', status: null });
      } finally {
        reader.close();
      }
      expect(h.daemon.status().counters.errors).toBe(0);
    } finally {
      h.provider.holdMs = 0;
    }
  });

  it('audits a request whose client leaves mid-upload, and forwards none of it', async () => {
    resetRecorded(h);
    const before = h.daemon.status().counters.requests;
    const socket = net.connect({ host: '127.0.0.1', port: h.daemon.port });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      'POST http://api.openai.com/v1/chat/completions HTTP/1.1\r\nHost: api.openai.com\r\n' +
        `Proxy-Authorization: ${h.proxyAuthorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":"gpt-4o","mess`,
    );
    await sleep(100);
    socket.destroy();
    while (h.daemon.status().counters.requests === before) await sleep(20);
    await sleep(50);
    expect(h.provider.requests).toHaveLength(0);
    const reader = openAuditReader(h.daemon.paths.auditDb);
    try {
      await sleep(100);
      const last = [...reader.events()].at(-1);
      expect(last).toMatchObject({ error: 'LG_PROXY_CLIENT_CLOSED', method: 'POST', status: null });
    } finally {
      reader.close();
    }
  });

  it('refuses to start a second daemon on the same home, leaving the first one serving', async () => {
    await expect(startDaemon({ home: h.home })).rejects.toMatchObject({ code: 'LG_DAEMON_ALREADY_RUNNING' });
    const res = await send(agent, CHAT, { headers: HEADERS, body: BODY });
    expect(res.status).toBe(200);
  });
});
