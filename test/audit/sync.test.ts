/**
 * Export to the organisation's collector through the real daemon: a collector that is down, then answers
 * 503 with Retry-After, then recovers, ends up with every event; the backlog and the last sync result
 * show in the status reply meanwhile, and the collector's API key is sent but never shown.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { ControlClient, type StatusReply } from '../../core/control/index.js';
import { OPENAI_TEST_KEY, proxyAgent, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { attribute, startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const BODY = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] });
const COLLECTOR_KEY = 'collector-api-key-5d1c9e';

const BIN = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'bin/llmgate.js');

let h: Harness;
let agent: ProxyAgent;
let collector: OtlpReceiver;

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The built CLI against the harness daemon's home. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LLMGATE_HOME: h.home },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout }));
  });
}

async function answered(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await send(agent, CHAT, { headers: HEADERS, body: BODY });
    expect(res.status).toBe(200);
    ids.push(res.headers.get('x-llmgate-request-id')!);
  }
  return ids;
}

beforeAll(async () => {
  collector = await startOtlpReceiver({ up: false });
  h = await startHarness({
    audit: {
      sink: {
        url: collector.url,
        headers: { 'x-api-key': COLLECTOR_KEY },
        intervalSeconds: 0.05,
        minBackoffSeconds: 0.05,
        maxBackoffSeconds: 0.2,
        maxBacklog: 3,
      },
    },
  });
  agent = proxyAgent(h);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
  await collector?.down();
});

describe('audit export to a collector that goes down and comes back', () => {
  const sent: string[] = [];
  let statusWhileDown: StatusReply;

  it('keeps a backlog, and says so in the status, while the collector is down', async () => {
    sent.push(...(await answered(5)));
    const control = new ControlClient(h.daemon.paths.controlSocket);
    await until('a failed export', () => h.daemon.status().audit.sync?.lastResult === 'error');
    statusWhileDown = await control.status();
    expect(statusWhileDown.audit).toMatchObject({
      backlog: 5,
      sync: { url: collector.url, lastResult: 'error', lastError: 'ECONNREFUSED', lastSuccessAt: null },
    });
    expect(statusWhileDown.audit.warnings).toEqual([
      expect.stringContaining('backlog of 5 events exceeds 3'),
    ]);
    expect(JSON.stringify(statusWhileDown)).not.toContain(COLLECTOR_KEY);
  });

  it('shows the failing export in `status` and `doctor`, without the API key', async () => {
    const [status, doctor] = await Promise.all([cli(['status']), cli(['doctor'])]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/audit sync\s+http:\/\/127\.0\.0\.1:\d+\/v1\/logs: error \(ECONNREFUSED\)/);
    expect(status.stdout).toContain('# audit backlog of 5 events exceeds 3');
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`audit export to ${collector.url} failing (ECONNREFUSED), backlog 5`);
    expect(status.stdout + doctor.stdout).not.toContain(COLLECTOR_KEY);
  });

  it('waits as long as Retry-After says when the collector answers 503', async () => {
    collector.answer = { status: 503, retryAfter: '1' };
    await collector.up();
    await until('two 503 answers', () => collector.exchanges.length >= 2);
    const [first, second] = collector.exchanges;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(h.daemon.status().audit.sync).toMatchObject({ lastResult: 'error', lastError: 'HTTP 503' });
  });

  it('delivers every event once the collector recovers, with the API key, and the backlog drains', async () => {
    sent.push(...(await answered(3)));
    collector.answer = { status: 200 };
    await until('every event at the collector', () => sent.every((id) => collector.eventIds().has(id)));
    await until('an empty backlog', () => h.daemon.status().audit.backlog === 0);
    const status = await new ControlClient(h.daemon.paths.controlSocket).status();
    expect(status.audit).toMatchObject({
      backlog: 0,
      warnings: [],
      sync: { lastResult: 'ok', lastError: null },
    });
    expect(status.audit.sync!.lastSuccessAt).not.toBeNull();
    expect(collector.exchanges.every((e) => e.headers['x-api-key'] === COLLECTOR_KEY)).toBe(true);
    expect(collector.exchanges.every((e) => e.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('sends OTLP log records with semantic-convention attributes and the chained event as body', () => {
    const record = collector.records.find((r) => attribute(r, 'log.record.uid') === sent[0])!;
    const event = JSON.parse(record.body.stringValue) as Record<string, unknown>;
    expect(event).toMatchObject({ id: sent[0], host: 'api.openai.com', decision: 'allow' });
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(record).toMatchObject({ eventName: 'llmgate.audit.request', severityText: 'INFO' });
    expect(attribute(record, 'http.request.method')).toBe('POST');
    expect(attribute(record, 'server.address')).toBe('api.openai.com');
    expect(attribute(record, 'gen_ai.provider.name')).toBe('openai');
    expect(attribute(record, 'gen_ai.usage.input_tokens')).toBe('11');
    expect(attribute(record, 'http.response.status_code')).toBe('200');
    expect(attribute(record, 'llmgate.audit.hash')).toBe(event.hash);
    const resource = collector.requests[0]!.resourceLogs[0]!.resource.attributes.map((a) => a.key);
    expect(resource).toEqual(
      expect.arrayContaining(['service.name', 'service.version', 'host.name', 'llmgate.device.key']),
    );
  });

  it('pushes now on `audit sync`, signed checkpoint included', async () => {
    sent.push(...(await answered(2)));
    const reply = await new ControlClient(h.daemon.paths.controlSocket).auditSync();
    expect(reply).toMatchObject({ ok: true, backlog: 0, error: null });
    expect(sent.every((id) => collector.eventIds().has(id))).toBe(true);
    const checkpoint = collector.records.filter((r) => r.eventName === 'llmgate.audit.checkpoint').at(-1)!;
    expect(checkpoint.body.stringValue.split('.')).toHaveLength(3);
    expect(Number(attribute(checkpoint, 'llmgate.audit.seq'))).toBe(h.daemon.status().audit.lastSeq);
  });
});
