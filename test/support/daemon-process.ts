/**
 * The real daemon as its own child process (`llmgate start --foreground` from bin/llmgate.js), for tests
 * that must kill it or watch its memory from outside: the in-process harness (./harness.ts) shares the
 * test's heap and cannot be SIGKILLed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProxyAgent } from 'undici';
import { ControlClient } from '../../core/control/index.js';
import { statePaths } from '../../core/config/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface DaemonProcess {
  child: ChildProcess;
  /** Through the daemon's proxy, with its credentials, trusting its CA. */
  agent: ProxyAgent;
}

/** Runs the daemon's command line (`argv`, node first) through another command, e.g. into a namespace. */
export type DaemonLauncher = (argv: readonly string[]) => {
  command: string;
  args: string[];
  env?: Record<string, string>;
};

/**
 * Starts the daemon on `$LLMGATE_HOME=home` (its config.json written by the caller) and resolves once it
 * said it is running. `agent` options (connections, pipelining) go to the ProxyAgent; `launch` wraps the
 * command line.
 */
export async function startDaemonProcess(
  home: string,
  agent: { connections?: number } = {},
  launch?: DaemonLauncher,
): Promise<DaemonProcess> {
  const argv = [process.execPath, path.join(ROOT, 'bin/llmgate.js'), 'start', '--foreground', '--port', '0'];
  const command = launch?.(argv) ?? { command: argv[0]!, args: argv.slice(1) };
  const child = spawn(command.command, command.args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LLMGATE_HOME: home, ...command.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (stderr.length < 4096) stderr += c.toString();
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('llmgate running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`daemon exited ${code}: ${stderr.trim()}`)));
  });
  const env = await new ControlClient(statePaths(home).controlSocket).env();
  const url = new URL(env.proxyUrlWithCredentials);
  const proxy = new ProxyAgent({
    uri: env.proxyUrl,
    token: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`,
    requestTls: { ca: [await readFile(env.caCertPath, 'utf8')] },
    ...agent,
  });
  return { child, agent: proxy };
}

/** Resolves once `child` has exited (a killed child has a signalCode and no exitCode). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
