import { ControlClient } from '../core/control/index.js';
import { resolveHome, statePaths, type StatePaths } from '../core/config/index.js';
import { LlmgateError } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_FOUND = 1;
export const EXIT_ERROR = 2;

export function paths(): StatePaths {
  return statePaths(resolveHome());
}

export function client(): ControlClient {
  return new ControlClient(paths().controlSocket);
}

/** Thrown by commands to end with a message and an exit code. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}

/** The one place "daemon not running" becomes a hint (Tailscale's fixTailscaledConnectError). */
export function explainError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliExit) return { message: err.message, exitCode: err.exitCode };
  if (LlmgateError.is(err)) {
    if (err.code === 'LG_CONTROL_DAEMON_DOWN') {
      return { message: 'llmgate is not running. Start it with: llmgate start', exitCode: EXIT_ERROR };
    }
    return { message: `llmgate: ${err.message} [${err.code}]`, exitCode: EXIT_ERROR };
  }
  return { message: `llmgate: ${(err as Error)?.message ?? String(err)}`, exitCode: EXIT_ERROR };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
