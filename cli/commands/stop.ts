import { setTimeout as sleep } from 'node:timers/promises';
import { LlmgateError } from '../../core/errors.js';
import { CliExit, EXIT_ERROR, client } from '../context.js';

export async function stop(): Promise<void> {
  const control = client();
  let pid: number;
  try {
    pid = (await control.status()).pid;
    await control.stop();
  } catch (err) {
    if (LlmgateError.is(err) && err.code === 'LG_CONTROL_DAEMON_DOWN') {
      process.stdout.write('llmgate is not running.\n');
      return;
    }
    throw err;
  }
  // Wait until the daemon has flushed the audit log and released the socket.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      process.stdout.write('llmgate stopped.\n');
      return;
    }
    await sleep(50);
  }
  throw new CliExit(EXIT_ERROR, `llmgate (pid ${pid}) did not stop within 10 s.`);
}
