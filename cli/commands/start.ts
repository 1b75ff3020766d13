import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon } from '../../core/daemon/index.js';
import { CliExit, EXIT_ERROR, client, paths } from '../context.js';
import type { StatusReply } from '../../core/control/index.js';
import { LlmgateError } from '../../core/errors.js';

export interface StartOptions {
  foreground?: boolean;
  port?: number;
}

/** The running daemon's status, or undefined when none runs; any other failure is an error. */
async function runningStatus(): Promise<StatusReply | undefined> {
  try {
    return await client().status();
  } catch (err) {
    if (LlmgateError.is(err) && err.code === 'LG_CONTROL_DAEMON_DOWN') return undefined;
    throw err;
  }
}

async function runForeground(port: number | undefined): Promise<void> {
  const daemon = await startDaemon({
    home: paths().home,
    port,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(`llmgate running: proxy ${daemon.proxyUrl}\n`);
  const onSignal = (): void => void daemon.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await daemon.stopped;
}

export async function start(options: StartOptions): Promise<void> {
  const existing = await runningStatus();
  if (existing !== undefined) {
    process.stdout.write(`llmgate is already running (pid ${existing.pid}): proxy ${existing.proxy.url}\n`);
    return;
  }
  if (options.foreground) {
    await runForeground(options.port);
    return;
  }
  const { home, daemonLog } = paths();
  await mkdir(home, { recursive: true, mode: 0o700 });
  const logFd = openSync(daemonLog, 'a', 0o600);
  const bin = fileURLToPath(new URL('../../../bin/llmgate.js', import.meta.url));
  const args = [
    bin,
    'start',
    '--foreground',
    ...(options.port !== undefined ? ['--port', String(options.port)] : []),
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: process.env,
  });
  closeSync(logFd);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const status = await runningStatus();
    if (status !== undefined) {
      process.stdout.write(`llmgate started (pid ${status.pid}): proxy ${status.proxy.url}\n`);
      process.stdout.write('Route a shell through it with: eval "$(llmgate env)"\n');
      return;
    }
    if (exited !== undefined) break;
    await sleep(100);
  }
  const tail = readFileSync(daemonLog, 'utf8').trim().split('\n').slice(-5).join('\n');
  throw new CliExit(EXIT_ERROR, `llmgate did not start. Last lines of ${daemonLog}:\n${tail}`);
}
