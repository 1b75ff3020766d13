/**
 * Issue 9, faults: the disk holding the audit log fills up. The daemon runs as its own process in a
 * private mount namespace (`unshare`, no root needed) where a 1 MiB tmpfs holds the audit database; the
 * test fills that disk for real and later frees it from outside (through /proc/<pid>/root). While the log
 * cannot be written, requests are refused before anything is forwarded, with a clear error naming the
 * cause; the events of that time are held and written once there is space, so the chain stays whole and
 * no request goes unrecorded.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { ProxyAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../core/audit/index.js';
import { statePaths } from '../../core/config/index.js';
import { ControlClient } from '../../core/control/index.js';
import { OPENAI_TEST_KEY, send, type Sent } from '../support/clients.js';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.js';
import { parseRefusal } from '../support/hostile.js';
import { AWS_KEY } from '../support/secrets.js';
import { createTestPki } from '../support/test-pki.js';
import { startDaemonProcess } from '../support/daemon-process.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const body = (i: number): string =>
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `request ${i}: key ${AWS_KEY}` }] });

let home: string;
/** Where the small disk is mounted inside the daemon's namespace (an empty directory outside it). */
let disk: string;
let provider: FakeProvider;
let daemon: ChildProcess | undefined;
let agent: ProxyAgent | undefined;

beforeAll(async () => {
  const pki = await createTestPki();
  provider = await startFakeProvider(pki);
  home = await mkdtemp(path.join(os.tmpdir(), 'lg-diskfull-'));
  disk = await mkdtemp(path.join(os.tmpdir(), 'lg-smalldisk-'));
  const upstreamCaFile = path.join(home, 'fake-provider-ca.pem');
  await writeFile(upstreamCaFile, pki.caPem);
  // Content capture makes each event a few KiB, so the disk fills within a few dozen requests.
  await writeFile(
    path.join(home, 'config.json'),
    JSON.stringify({
      proxy: { port: 0 },
      upstreams: { 'api.openai.com': provider.origin },
      upstreamCaFile,
      audit: { content: { capture: true } },
    }),
  );
  // The audit database lives on the small disk; everything else stays in $LLMGATE_HOME.
  await symlink(path.join(disk, 'audit.db'), statePaths(home).auditDb);
});

afterAll(async () => {
  await agent?.close().catch(() => undefined);
  daemon?.kill('SIGKILL');
  await provider?.close();
  await rm(home, { recursive: true, force: true });
  await rm(disk, { recursive: true, force: true });
});

/**
 * The daemon in its own mount namespace, with a 1 MiB tmpfs on `disk` of which a filler file takes all but
 * FREE_KIB. `unshare --map-root-user` needs no privilege; CI requires it (no silent skip).
 */
function onSmallDisk(argv: readonly string[]): {
  command: string;
  args: string[];
  env: Record<string, string>;
} {
  const FREE_KIB = 160;
  const script = [
    'set -e',
    'mount -t tmpfs -o size=1024k tmpfs "$DISK"',
    `head -c ${(1024 - FREE_KIB) * 1024} /dev/zero > "$DISK/filler"`,
    'exec "$@"',
  ].join('\n');
  return {
    command: 'unshare',
    args: ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', ...argv],
    env: { DISK: disk },
  };
}

describe('the disk holding the audit log fills up', () => {
  it('refuses requests with a clear error until there is space, then writes every held event', async () => {
    const started = await startDaemonProcess(home, {}, onSmallDisk);
    daemon = started.child;
    agent = started.agent;
    /** The small disk as the daemon sees it. */
    const diskInside = `/proc/${daemon.pid}/root${disk}`;
    const control = new ControlClient(statePaths(home).controlSocket);

    // Fill it: requests pass (and are recorded) until a commit finds the disk full.
    const replies: { id: string; reply: Sent }[] = [];
    let i = 0;
    let refused: Sent | undefined;
    while (refused === undefined && i < 400) {
      const reply = await send(agent, CHAT, { headers: HEADERS, body: body(i++) });
      replies.push({ id: reply.headers.get('x-llmgate-request-id')!, reply });
      if (reply.status !== 200) refused = reply;
    }
    expect(refused, 'the 1 MiB disk never filled').toBeDefined();
    expect(replies.length).toBeGreaterThan(3);

    // The refusal names the cause, the rule and the fix, in the provider's error shape.
    expect(refused!.status).toBe(503);
    const refusal = parseRefusal(refused!.body);
    expect(refusal.error.code).toBe('audit-unavailable');
    expect(refusal.llmgate).toMatchObject({ rule: 'audit-unavailable', code: 'LG_AUDIT_UNAVAILABLE' });
    expect(refusal.error.message).toMatch(/disk holding the audit log .*audit\.db is full/);
    expect(refusal.error.message).toContain('Free space on that disk');

    // Meanwhile nothing leaves the machine, and `status` says why.
    const forwardedBefore = provider.requests.length;
    for (let k = 0; k < 5; k++) {
      const reply = await send(agent, CHAT, { headers: HEADERS, body: body(i++) });
      replies.push({ id: reply.headers.get('x-llmgate-request-id')!, reply });
      expect(reply.status).toBe(503);
    }
    expect(provider.requests.length).toBe(forwardedBefore);
    const { audit } = await control.status();
    expect(audit.failure).toMatchObject({ reason: expect.stringMatching(/is full$/) as unknown });
    expect(audit.failure!.held).toBeGreaterThanOrEqual(6);
    expect(audit.warnings.join('\n')).toMatch(/requests are refused since .*is full; \d+ events are held/);
    // Nothing that was forwarded carried the key.
    for (const request of provider.requests) expect(request.body.toString()).not.toContain(AWS_KEY);

    // Space again: within the retry interval, requests go through and every held event is written.
    await unlink(path.join(diskInside, 'filler'));
    let recovered = false;
    for (let t = 0; t < 50 && !recovered; t++) {
      await sleep(100);
      recovered = (await control.status()).audit.failure === null;
    }
    expect(recovered).toBe(true);
    const after = await send(agent, CHAT, { headers: HEADERS, body: body(i++) });
    expect(after.status).toBe(200);
    replies.push({ id: after.headers.get('x-llmgate-request-id')!, reply: after });

    // Every request, answered or refused, has exactly one event, and the chain verifies. SQLite resolves
    // /proc/<pid>/root to this namespace's root, so the log is read from a copy (taken while idle: the
    // last commit's fsync and WAL copy are long done).
    await sleep(300);
    const copy = await mkdtemp(path.join(os.tmpdir(), 'lg-diskfull-copy-'));
    const dbFile = path.join(copy, 'audit.db');
    await copyFile(path.join(diskInside, 'audit.db'), dbFile);
    await copyFile(path.join(diskInside, 'audit.db-wal'), `${dbFile}-wal`);
    const db = new Database(dbFile);
    const rows = db.prepare('SELECT id, event FROM events ORDER BY seq').all() as {
      id: string;
      event: string;
    }[];
    db.close();
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
    expect(replies.filter(({ id }) => counts.get(id) !== 1).map(({ id }) => id)).toEqual([]);
    const decisions = rows.map((row) => (JSON.parse(row.event) as { decision: string }).decision);
    expect(decisions.filter((d) => d === 'block').length).toBe(
      replies.filter(({ reply }) => reply.status === 503).length,
    );
    const report = await verifyAuditLog({ file: dbFile });
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    await rm(copy, { recursive: true, force: true });
  });
});
