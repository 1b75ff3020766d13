/**
 * The audit writer on a real SQLite file: what it does with an event it cannot store, with a flush that
 * races a close, with the WAL under sustained commits, and with an fsync per commit. The full-disk path
 * runs against a real full disk in test/hostile/disk-full.test.ts.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openAuditReader,
  openAuditWriter,
  verifyAuditLog,
  type AuditEventInput,
} from '../../core/audit/index.js';
import type { AuditError } from '../../core/errors.js';
import { auditEventInput } from '../support/audit-events.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lg-writer-'));
  file = path.join(dir, 'audit.db');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
const event = (overrides: Partial<AuditEventInput> = {}): AuditEventInput =>
  auditEventInput(++counter, overrides);

describe('the audit writer', () => {
  it('leaves out an event it cannot store, says which, and keeps recording the others', async () => {
    const errors: AuditError[] = [];
    const writer = await openAuditWriter({ file, onError: (err) => errors.push(err) });
    const before = event();
    // JSON has no Infinity: this event cannot be chained or stored. Same tick as its neighbours.
    const bad = event({ usage: { inputTokens: Number.POSITIVE_INFINITY, outputTokens: 1 } });
    const after = event();
    const results = await Promise.all([writer.append(before), writer.append(bad), writer.append(after)]);
    expect(results).toEqual([true, false, true]);
    expect(writer.health()).toEqual({ writable: true });
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining(`audit event ${bad.id} cannot be stored and was left out`),
    ]);
    // Later events are not refused or held: the log is fine.
    expect(await writer.append(event())).toBe(true);
    await writer.close();

    const reader = openAuditReader(file);
    const ids = [...reader.events()].map((e) => e.id);
    reader.close();
    expect(ids).toHaveLength(3);
    expect(ids.slice(0, 2)).toEqual([before.id, after.id]);
    expect((await verifyAuditLog({ file })).ok).toBe(true);
  });

  it('settles a flush that races the close, and refuses appends after it with a reported error', async () => {
    const errors: AuditError[] = [];
    const writer = await openAuditWriter({ file, onError: (err) => errors.push(err) });
    expect(await writer.append(event())).toBe(true);
    const closing = writer.close();
    const flushed = writer.flush();
    await expect(Promise.race([flushed.then(() => 'settled'), sleep(3000).then(() => 'hung')])).resolves.toBe(
      'settled',
    );
    await closing;
    const late = event();
    expect(await writer.append(late)).toBe(false);
    expect(errors.map((e) => e.message)).toContain(`audit event ${late.id} arrived after the log closed`);
  });

  it('keeps the WAL bounded under a steady stream of commits', async () => {
    const writer = await openAuditWriter({ file });
    // One commit per event (each awaited): without the WAL thread's copies and truncation, every commit
    // adds its pages to the WAL for good (about 16 KiB each here: 4,000 commits would be ~64 MiB).
    let largest = 0;
    for (let i = 0; i < 4000; i++) {
      expect(await writer.append(event())).toBe(true);
      if (i % 100 === 0) largest = Math.max(largest, statSync(`${file}-wal`).size);
    }
    await writer.flush();
    await writer.close();
    expect(largest).toBeLessThan(24 * 1024 * 1024);
    expect((await verifyAuditLog({ file })).events).toBe(4000);
  });

  it('with fsyncEachCommit, answers each append once its commit is fsynced', async () => {
    const writer = await openAuditWriter({ file, fsyncEachCommit: true });
    const results = await Promise.all(Array.from({ length: 50 }, () => writer.append(event())));
    expect(results.every(Boolean)).toBe(true);
    // Sequential appends each wait for an fsync of their own commit.
    for (let i = 0; i < 5; i++) expect(await writer.append(event())).toBe(true);
    await writer.close();
    expect((await verifyAuditLog({ file })).events).toBe(55);
  });
});
