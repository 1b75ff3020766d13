/**
 * Issue 7 acceptance: the daemon is killed with SIGKILL in the middle of a load of requests and started
 * again. Every request that was answered has exactly one event in the local log (an event is committed
 * before its response ends), the chain still verifies, and the collector ends up with all of them
 * (duplicates, if any, removable by the event id).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../core/audit/index.js';
import { ControlClient } from '../../core/control/index.js';
import { statePaths } from '../../core/config/index.js';
import { OPENAI_TEST_KEY, send } from '../support/clients.js';
import { exited, startDaemonProcess } from '../support/daemon-process.js';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { createTestPki } from '../support/test-pki.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const BODY = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] });
/** Killed once this many requests were answered, with more in flight. */
const KILL_AFTER = 120;
const CONCURRENCY = 8;

let home: string;
let provider: FakeProvider;
let collector: OtlpReceiver;
let daemon: ChildProcess | undefined;

beforeAll(async () => {
  const pki = await createTestPki();
  provider = await startFakeProvider(pki);
  collector = await startOtlpReceiver({ up: true });
  home = await mkdtemp(path.join(os.tmpdir(), 'lg-crash-'));
  const upstreamCaFile = path.join(home, 'fake-provider-ca.pem');
  await writeFile(upstreamCaFile, pki.caPem);
  await writeFile(
    path.join(home, 'config.json'),
    JSON.stringify({
      proxy: { port: 0 },
      upstreams: { 'api.openai.com': provider.origin },
      upstreamCaFile,
      audit: {
        sink: { url: collector.url, intervalSeconds: 0.05, batchSize: 50 },
        checkpoint: { everyEvents: 25 },
      },
    }),
  );
});

afterAll(async () => {
  daemon?.kill('SIGKILL');
  await provider?.close();
  await collector?.down();
  await rm(home, { recursive: true, force: true });
});

describe('a daemon killed mid-load', () => {
  it('loses no answered request: one local event each, all of them at the collector after restart', async () => {
    const first = await startDaemonProcess(home);
    daemon = first.child;
    const answered: string[] = [];
    let killed = false;
    const worker = async (): Promise<void> => {
      while (!killed) {
        try {
          // A request cut by the kill fails; the timeout only guards the test against a hung socket.
          const res = await send(first.agent, CHAT, {
            headers: HEADERS,
            body: BODY,
            signal: AbortSignal.timeout(5_000),
          });
          if (res.status === 200) answered.push(res.headers.get('x-llmgate-request-id')!);
        } catch {
          // Requests cut by the kill were never answered.
        }
        if (answered.length >= KILL_AFTER && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await exited(first.child);
    await first.agent.close().catch(() => undefined);
    expect(answered.length).toBeGreaterThanOrEqual(KILL_AFTER);

    // What the kill left on disk, before anything else touches it.
    const db = new Database(statePaths(home).auditDb, { readonly: true });
    const counts = new Map(
      (
        db.prepare('SELECT id, count(*) AS n FROM events GROUP BY id').all() as { id: string; n: number }[]
      ).map((r) => [r.id, r.n]),
    );
    db.close();
    expect(answered.filter((id) => counts.get(id) !== 1)).toEqual([]);
    const second = await startDaemonProcess(home);
    daemon = second.child;
    try {
      const deadline = Date.now() + 15_000;
      while (!answered.every((id) => collector.eventIds().has(id)) && Date.now() < deadline) await sleep(50);
      expect(answered.filter((id) => !collector.eventIds().has(id))).toEqual([]);
      // Events committed for requests the kill cut off (never answered) are exported too.
      const control = new ControlClient(statePaths(home).controlSocket);
      while ((await control.status()).audit.backlog > 0 && Date.now() < deadline) await sleep(50);
      expect((await control.status()).audit.backlog).toBe(0);
    } finally {
      await second.agent.close();
      second.child.kill('SIGTERM');
      await exited(second.child);
      daemon = undefined;
    }
    const report = await verifyAuditLog({ file: statePaths(home).auditDb });
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.checkpoints).toBeGreaterThan(0);
  });
});
