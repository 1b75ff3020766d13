import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Where llmgate keeps its state: `$LLMGATE_HOME`, else the OS convention. */
export function resolveHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const explicit = env.LLMGATE_HOME;
  if (explicit !== undefined && explicit !== '') return path.resolve(explicit);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'llmgate');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'llmgate');
  const xdg = env.XDG_STATE_HOME;
  return path.join(xdg !== undefined && xdg !== '' ? xdg : path.join(home, '.local', 'state'), 'llmgate');
}

export interface StatePaths {
  home: string;
  config: string;
  caDir: string;
  caCert: string;
  caKey: string;
  trustBundle: string;
  controlSocket: string;
  auditDb: string;
  /** The interim checkpoint-signing key (core/audit/signer.ts). */
  auditKey: string;
  daemonLog: string;
}

export function statePaths(home: string, platform: NodeJS.Platform = process.platform): StatePaths {
  return {
    home,
    config: path.join(home, 'config.json'),
    caDir: path.join(home, 'ca'),
    caCert: path.join(home, 'ca', 'llmgate-ca.pem'),
    caKey: path.join(home, 'ca', 'llmgate-ca.key'),
    trustBundle: path.join(home, 'ca', 'trust-bundle.pem'),
    // A named pipe on Windows; elsewhere a socket inside the owner-only home.
    // Windows: a named pipe per user and home (a hash of both, so two users never share one). Named pipes
    // get Node's default ACL, not owner-only: hardening that needs a native ACL is left for the desktop
    // issue; the Unix socket below is owner-only.
    controlSocket:
      platform === 'win32'
        ? `\\\\.\\pipe\\llmgate-${createHash('sha256').update(`${os.userInfo().username}\0${home}`).digest('hex').slice(0, 32)}`
        : path.join(home, 'control.sock'),
    auditDb: path.join(home, 'audit.db'),
    auditKey: path.join(home, 'audit-signing-key.json'),
    daemonLog: path.join(home, 'daemon.log'),
  };
}
