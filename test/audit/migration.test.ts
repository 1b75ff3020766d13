/**
 * An audit log written before the chain existed (schema 1: `prev_hash`/`hash` NULL) gets the chain on the
 * daemon's first start, in `seq` order, and new events continue it: `audit verify` then accepts the lot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  loadOrCreateFileSigner,
  openAuditReader,
  startAuditLog,
  verifyAuditLog,
  type AuditEventInput,
} from '../../core/audit/index.js';

let dir: string;

function input(id: string): AuditEventInput {
  return {
    id,
    time: '2026-11-20T10:00:00.000Z',
    user: 'local:dev',
    device: 'laptop-1',
    host: 'api.mistral.ai',
    provider: 'mistral',
    method: 'POST',
    path: '/v1/chat/completions',
    model: 'mistral-large',
    stream: false,
    decision: 'allow',
    rules: [],
    redactions: {},
    status: 200,
    error: null,
    latencyMs: 4,
    bytes: { request: 5, response: 6 },
    usage: null,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lg-migrate-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('chains the events of a schema-1 log on first start, and new events continue the chain', async () => {
  const file = path.join(dir, 'audit.db');
  // Exactly what the daemon wrote before issue 7.
  const old = new Database(file);
  old.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    time TEXT NOT NULL, event TEXT NOT NULL, prev_hash TEXT, hash TEXT);
    PRAGMA user_version = 1;`);
  const insert = old.prepare(
    'INSERT INTO events (id, time, event, prev_hash, hash) VALUES (?, ?, ?, NULL, NULL)',
  );
  for (const id of ['v1-a', 'v1-b']) {
    insert.run(id, input(id).time, JSON.stringify({ ...input(id), prevHash: null, hash: null }));
  }
  old.close();

  const log = await startAuditLog({
    file,
    device: 'laptop-1',
    serviceVersion: 'test',
    signer: await loadOrCreateFileSigner(path.join(dir, 'key.json')),
    checkpoint: { everyEvents: 100, everySeconds: 3600 },
    retentionDays: 36500,
  });
  await log.append({ ...input('v2-c'), time: new Date().toISOString() });
  await log.close();

  const reader = openAuditReader(file);
  const events = [...reader.events()];
  reader.close();
  expect(events.map((e) => e.id)).toEqual(['v1-a', 'v1-b', 'v2-c']);
  expect(events[0]!.prevHash).toBeNull();
  expect(events[1]!.prevHash).toBe(events[0]!.hash);
  expect(events[2]!.prevHash).toBe(events[1]!.hash);
  expect(await verifyAuditLog({ file })).toMatchObject({ ok: true, events: 3, checkpointedSeq: 3 });
});
