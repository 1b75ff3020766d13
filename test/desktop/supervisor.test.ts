/**
 * The tray app's daemon supervision against the real CLI and daemon: it starts `llmgate start` when the
 * daemon does not answer, sees it running, starts it again after it stops, and backs off (without
 * respawning in a loop) when the daemon cannot start.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statePaths } from '../../core/config/index.js';
import { ControlClient } from '../../core/control/index.js';
import { DaemonSupervisor } from '../../desktop/main/supervisor.js';

const BIN = fileURLToPath(new URL('../../bin/llmgate.js', import.meta.url));
let home: string;
let client: ControlClient;
let starts = 0;

function cli(args: string[]): Promise<void> {
  return promisify(execFile)(process.execPath, [BIN, ...args], {
    env: { ...process.env, LLMGATE_HOME: home },
    timeout: 30_000,
  }).then(() => undefined);
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lg-tray-'));
  await writeFile(path.join(home, 'config.json'), JSON.stringify({ proxy: { port: 0 } }));
  client = new ControlClient(statePaths(home).controlSocket);
});

afterAll(async () => {
  await cli(['stop']).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

describe('daemon supervision', () => {
  it('starts the daemon when it is down, and restarts it after it stops', async () => {
    const supervisor = new DaemonSupervisor({
      client,
      startDaemon: () => {
        starts++;
        return cli(['start']);
      },
    });
    const first = await supervisor.check();
    expect(first.running).toBe(true);
    expect(starts).toBe(1);
    const again = await supervisor.check();
    expect(again.running).toBe(true);
    expect(starts).toBe(1); // running: nothing started

    await cli(['stop']);
    const restarted = await supervisor.check();
    expect(restarted.running).toBe(true);
    expect(starts).toBe(2);
    if (restarted.running && first.running) expect(restarted.status.pid).not.toBe(first.status.pid);
  });

  it('backs off when the daemon cannot start, saying why, and tries again after the wait', async () => {
    await cli(['stop']);
    await writeFile(path.join(home, 'config.json'), '{"proxy": {"prot": 1}}');
    let now = 1_000_000;
    let attempts = 0;
    const supervisor = new DaemonSupervisor({
      client,
      startDaemon: () => {
        attempts++;
        return cli(['start']);
      },
      now: () => now,
      initialBackoffMs: 1_000,
    });
    const failed = await supervisor.check();
    expect(failed.running).toBe(false);
    if (!failed.running) {
      expect(failed.reason).toMatch(/could not start/);
      expect(failed.retryAt).toBe(now + 1_000);
    }
    await supervisor.check();
    expect(attempts).toBe(1); // still backing off
    now += 1_000;
    const second = await supervisor.check();
    expect(attempts).toBe(2);
    if (!second.running) expect(second.retryAt).toBe(now + 2_000); // doubled

    await writeFile(path.join(home, 'config.json'), JSON.stringify({ proxy: { port: 0 } }));
    now += 2_000;
    expect((await supervisor.check()).running).toBe(true);
  });
});
