/**
 * Retention: old events are pruned when the daemon's audit log starts (and hourly), never ones the
 * collector has not accepted when a sink is configured; what remains still verifies, and new events
 * chain on from the pruned ones. Also the Retry-After forms the export understands.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadOrCreateFileSigner,
  openAuditReader,
  retryAfterMs,
  startAuditLog,
  verifyAuditLog,
  type AuditEventInput,
  type AuditLogOptions,
  type CheckpointSigner,
} from '../../core/audit/index.js';
import { closedPort } from '../support/clients.js';

let dir: string;
let file: string;
let signer: CheckpointSigner;

function input(id: string, time: string): AuditEventInput {
  return {
    id,
    time,
    user: null,
    device: 'laptop-1',
    host: 'api.anthropic.com',
    provider: 'anthropic',
    method: 'POST',
    path: '/v1/messages',
    model: null,
    stream: true,
    decision: 'allow',
    rules: [],
    redactions: {},
    status: 200,
    error: null,
    latencyMs: 3,
    bytes: { request: 10, response: 20 },
    usage: null,
  };
}

function options(extra: Partial<AuditLogOptions>): AuditLogOptions {
  return {
    file,
    device: 'laptop-1',
    serviceVersion: 'test',
    signer,
    checkpoint: { everyEvents: 2, everySeconds: 3600 },
    retentionDays: 30,
    ...extra,
  };
}

const ids = (): string[] => {
  const reader = openAuditReader(file);
  try {
    return [...reader.events()].map((e) => e.id);
  } finally {
    reader.close();
  }
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lg-retention-'));
  file = path.join(dir, 'audit.db');
  signer = await loadOrCreateFileSigner(path.join(dir, 'key.json'));
  const log = await startAuditLog(options({}));
  const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
  for (const id of ['old-1', 'old-2', 'old-3']) await log.append(input(id, old));
  await log.append(input('new-1', new Date().toISOString()));
  await log.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('retention', () => {
  it('keeps old events the collector has not accepted yet', async () => {
    const port = await closedPort();
    const log = await startAuditLog(
      options({
        sink: {
          url: `http://127.0.0.1:${port}/v1/logs`,
          headers: {},
          intervalMs: 60_000,
          batchSize: 100,
          timeoutMs: 1000,
          minBackoffMs: 60_000,
          maxBackoffMs: 60_000,
          maxBacklog: 100,
        },
      }),
    );
    expect(log.status().backlog).toBe(4);
    await log.close();
    expect(ids()).toEqual(['old-1', 'old-2', 'old-3', 'new-1']);
  });

  it('prunes events older than retentionDays when nothing is to be synced, and the rest still verifies', async () => {
    const log = await startAuditLog(options({}));
    await log.close();
    expect(ids()).toEqual(['new-1']);
    expect(await verifyAuditLog({ file })).toMatchObject({ ok: true, events: 1 });
  });

  it('chains new events on from the pruned ones', async () => {
    const log = await startAuditLog(options({}));
    await log.append(input('new-2', new Date().toISOString()));
    await log.close();
    expect(ids()).toEqual(['new-1', 'new-2']);
    expect(await verifyAuditLog({ file })).toMatchObject({ ok: true, events: 2, problems: [] });
  });

  it('keeps the checkpoint key owner-only', async () => {
    expect(((await stat(path.join(dir, 'key.json'))).mode & 0o777).toString(8)).toBe('600');
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it.each([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['Sat, 21 Nov 2026 12:00:30 GMT', 30_000],
    ['Sat, 21 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('reads %j as %j ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});
