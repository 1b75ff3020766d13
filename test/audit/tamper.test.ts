/**
 * `llmgate audit verify` against a log written by the real writer and then changed directly in
 * the SQLite file, the way someone with access to the file would: each kind of tampering is named with
 * the event it concerns, and the command exits 1 (0 on an intact log).
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  eventHash,
  loadOrCreateFileSigner,
  startAuditLog,
  verifyAuditLog,
  type AuditEvent,
} from '../../core/audit/index.js';
import { auditEventInput } from '../support/audit-events.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EVENTS = 12;

let dir: string;
let pristine: string;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lg-tamper-'));
  pristine = path.join(dir, 'audit.db');
  keyFile = path.join(dir, 'audit-signing-key.json');
  const log = await startAuditLog({
    file: pristine,
    device: 'laptop-1',
    serviceVersion: 'test',
    signer: await loadOrCreateFileSigner(keyFile),
    // A checkpoint at least every 4 events, and one on close (seq 12).
    checkpoint: { everyEvents: 4, everySeconds: 3600 },
    retentionDays: 3650,
  });
  for (let n = 1; n <= EVENTS; n++) expect(await log.append(auditEventInput(n))).toBe(true);
  await log.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the intact log, changed by `tamper` through SQLite itself. */
async function tampered(name: string, tamper: (db: Database.Database) => void): Promise<string> {
  const file = path.join(dir, `${name}.db`);
  await copyFile(pristine, file);
  const db = new Database(file);
  db.transaction(() => tamper(db))();
  db.close();
  return file;
}

const eventAt = (db: Database.Database, seq: number): AuditEvent =>
  JSON.parse(
    (db.prepare('SELECT event FROM events WHERE seq = ?').get(seq) as { event: string }).event,
  ) as AuditEvent;

/** Moves rows seq > after up by one, leaving seq after+1 free (seq is the primary key). */
function makeRoom(db: Database.Database, after: number): void {
  db.prepare('UPDATE events SET seq = seq + 1000 WHERE seq > ?').run(after);
  db.prepare('UPDATE events SET seq = seq - 999 WHERE seq > 1000').run();
}

function runCli(args: string[], home: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/llmgate.js'), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LLMGATE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout }));
  });
}

describe('audit verify', () => {
  it('accepts the log the writer produced: every event chained, the head signed', async () => {
    const report = await verifyAuditLog({ file: pristine });
    expect(report).toMatchObject({ ok: true, events: EVENTS, checkpointedSeq: EVENTS, problems: [] });
    // One once 4 events are unsigned (covering the head when signing starts), and one on close.
    expect(report.checkpoints).toBeGreaterThanOrEqual(2);
  });

  it('names an event whose content was edited', async () => {
    const file = await tampered('edit', (db) => {
      const event = eventAt(db, 5);
      db.prepare('UPDATE events SET event = ? WHERE seq = 5').run(
        canonicalJson({ ...event, model: 'gpt-3.5' }),
      );
    });
    const report = await verifyAuditLog({ file });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'edited', seq: 5, id: 'req-005' })]);
  });

  it('catches an edit whose hashes were all recomputed, through the signed checkpoint', async () => {
    const file = await tampered('rehash', (db) => {
      // Rewrite event 6 and re-chain everything after it, as someone who knows the algorithm would.
      let prevHash = eventAt(db, 5).hash;
      for (let seq = 6; seq <= EVENTS; seq++) {
        const event = { ...eventAt(db, seq), prevHash, ...(seq === 6 ? { decision: 'allow' as const } : {}) };
        event.hash = eventHash(event);
        db.prepare('UPDATE events SET event = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
          canonicalJson(event),
          prevHash,
          event.hash,
          seq,
        );
        prevHash = event.hash;
      }
    });
    const report = await verifyAuditLog({ file });
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: 12, id: 'req-012' }));
    expect(report.problems.every((p) => p.message.includes('rewritten'))).toBe(true);
  });

  it('names the gap where an event was deleted', async () => {
    const file = await tampered('delete', (db) => db.prepare('DELETE FROM events WHERE seq = 7').run());
    const report = await verifyAuditLog({ file });
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'deleted',
        seq: 8,
        id: 'req-008',
        message: expect.stringContaining('between 6'),
      }),
    ]);
  });

  it('notices events deleted from the end, which a signed checkpoint covered', async () => {
    const file = await tampered('truncate', (db) => db.prepare('DELETE FROM events WHERE seq > 10').run());
    const report = await verifyAuditLog({ file });
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'deleted', seq: 12 })]);
  });

  it('names an inserted event, even one with a well-formed hash', async () => {
    const file = await tampered('insert', (db) => {
      const before = eventAt(db, 3);
      makeRoom(db, 3);
      const forged: AuditEvent = {
        ...auditEventInput(99),
        id: 'forged-1',
        prevHash: before.hash,
        hash: null,
      };
      forged.hash = eventHash(forged);
      db.prepare('INSERT INTO events (seq, id, time, event, prev_hash, hash) VALUES (4, ?, ?, ?, ?, ?)').run(
        forged.id,
        forged.time,
        canonicalJson(forged),
        forged.prevHash,
        forged.hash,
      );
    });
    const report = await verifyAuditLog({ file });
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'inserted', seq: 4, id: 'forged-1' }),
    );
    expect(report.problems.filter((p) => p.kind === 'inserted' || p.kind === 'edited')).toHaveLength(1);
  });

  it('names events stored out of order', async () => {
    const file = await tampered('reorder', (db) => {
      db.prepare('UPDATE events SET seq = 100 WHERE seq = 9').run();
      db.prepare('UPDATE events SET seq = 9 WHERE seq = 10').run();
      db.prepare('UPDATE events SET seq = 10 WHERE seq = 100').run();
    });
    const report = await verifyAuditLog({ file });
    expect(report.problems.filter((p) => p.kind !== 'checkpoint')).toEqual([
      expect.objectContaining({ kind: 'reordered', seq: 9, id: 'req-010' }),
    ]);
  });

  it('rejects a checkpoint whose signature does not verify', async () => {
    const file = await tampered('checkpoint', (db) => {
      const { jws } = db.prepare('SELECT jws FROM checkpoints WHERE seq = ?').get(EVENTS) as { jws: string };
      const [header, payload, signature] = jws.split('.');
      const forged = Buffer.from(
        Buffer.from(payload!, 'base64url')
          .toString()
          .replace(`"seq":${EVENTS}`, `"seq":${EVENTS - 1}`),
      ).toString('base64url');
      db.prepare('UPDATE checkpoints SET jws = ? WHERE seq = ?').run(
        `${header}.${forged}.${signature}`,
        EVENTS,
      );
    });
    const report = await verifyAuditLog({ file });
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'checkpoint', seq: EVENTS })]);
  });

  it('exits 0 on an intact log and 1 with the event named on a tampered one', async () => {
    const home = path.join(dir, 'home');
    await rm(home, { recursive: true, force: true });
    await mkdir(home, { mode: 0o700 });
    await copyFile(pristine, path.join(home, 'audit.db'));
    await copyFile(keyFile, path.join(home, 'audit-signing-key.json'));
    const ok = await runCli(['audit', 'verify'], home);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining(`ok: ${EVENTS} events`) });

    await copyFile(
      await tampered('cli', (db) => db.prepare('DELETE FROM events WHERE seq = 2').run()),
      path.join(home, 'audit.db'),
    );
    const bad = await runCli(['audit', 'verify', '--json'], home);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      ok: false,
      problems: [{ kind: 'deleted', id: 'req-003' }],
    });
  });
});
