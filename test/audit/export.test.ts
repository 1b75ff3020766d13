/**
 * The export on its own (no proxy): a collector that refuses large requests with 413 still gets every
 * event, in smaller batches; `audit sync` without a sink is a coded error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateFileSigner, startAuditLog, type AuditEventInput } from '../../core/audit/index.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

let dir: string;
let collector: OtlpReceiver;

function input(id: string): AuditEventInput {
  return {
    id,
    time: new Date().toISOString(),
    user: null,
    device: 'laptop-1',
    host: 'api.openai.com',
    provider: 'openai',
    method: 'POST',
    path: '/v1/embeddings',
    model: 'text-embedding-3-small',
    stream: false,
    decision: 'allow',
    rules: [],
    redactions: {},
    status: 200,
    error: null,
    latencyMs: 1,
    bytes: { request: 1, response: 1 },
    usage: { inputTokens: 3 },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lg-export-'));
  collector = await startOtlpReceiver({ up: true });
});

afterAll(async () => {
  await collector?.down();
  await rm(dir, { recursive: true, force: true });
});

describe('export', () => {
  it('halves the batch on 413 until the collector takes it, and delivers every event', async () => {
    collector.maxRecords = 2;
    const log = await startAuditLog({
      file: path.join(dir, 'a.db'),
      device: 'laptop-1',
      serviceVersion: 'test',
      signer: await loadOrCreateFileSigner(path.join(dir, 'key.json')),
      checkpoint: { everyEvents: 1000, everySeconds: 3600 },
      retentionDays: 30,
      sink: {
        url: collector.url,
        headers: {},
        intervalMs: 3_600_000,
        batchSize: 100,
        timeoutMs: 5_000,
        minBackoffMs: 3_600_000,
        maxBackoffMs: 3_600_000,
        maxBacklog: 1000,
      },
    });
    try {
      const ids = ['e1', 'e2', 'e3', 'e4', 'e5'];
      for (const id of ids) await log.append(input(id));
      const result = await log.syncNow();
      expect(result).toMatchObject({ ok: true, backlog: 0, error: null });
      expect([...collector.eventIds()].sort()).toEqual(ids);
      expect(collector.exchanges.some((e) => e.status === 200)).toBe(true);
      expect(collector.requests.every((r) => r.resourceLogs[0]!.scopeLogs[0]!.logRecords.length <= 2)).toBe(
        true,
      );
    } finally {
      await log.close();
    }
  });

  it('refuses `audit sync` with a coded error when no sink is configured', async () => {
    const log = await startAuditLog({
      file: path.join(dir, 'b.db'),
      device: 'laptop-1',
      serviceVersion: 'test',
      signer: await loadOrCreateFileSigner(path.join(dir, 'key.json')),
      checkpoint: { everyEvents: 1000, everySeconds: 3600 },
      retentionDays: 30,
    });
    try {
      await expect(log.syncNow()).rejects.toMatchObject({ code: 'LG_AUDIT_SYNC_NOT_CONFIGURED' });
      expect(log.status()).toMatchObject({ backlog: 0, sync: null });
    } finally {
      await log.close();
    }
  });
});
