/**
 * `llmgate login [--device-code] [--json] [--no-browser]`: the daemon runs the sign-in (it owns the
 * loopback listener, the device key and the keychain); this face shows the user what to do and waits.
 */
import { spawn } from 'node:child_process';
import type { IdentityStatusReply, LoginStartReply } from '../../core/control/index.js';
import { client } from '../context.js';

export interface LoginOptions {
  deviceCode?: boolean;
  json?: boolean;
  /** `--no-browser` sets this to false: print the URL only. */
  browser?: boolean;
}

/** Best effort: the URL is printed anyway, so a missing opener is not an error. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', () => {});
    child.unref();
  } catch {
    // No opener on this machine: the user has the printed URL.
  }
}

function startLine(start: LoginStartReply): Record<string, string> {
  const out: Record<string, string> = { method: start.method, expiresAt: start.expiresAt };
  if (start.authorizationUrl !== undefined) out.authorizationUrl = start.authorizationUrl;
  if (start.verificationUri !== undefined) out.verificationUri = start.verificationUri;
  if (start.verificationUriComplete !== undefined)
    out.verificationUriComplete = start.verificationUriComplete;
  if (start.userCode !== undefined) out.userCode = start.userCode;
  return out;
}

/** One sentence about who is signed in, shared with `llmgate status`. */
export function describeIdentity(identity: IdentityStatusReply): string {
  const who = identity.name === null ? identity.user : `${identity.user} (${identity.name})`;
  const groups = identity.groups.length === 0 ? 'no groups' : `groups ${identity.groups.join(', ')}`;
  return `${who ?? '?'}, ${groups}; token until ${identity.expiresAt ?? '?'} (refreshed automatically); device key ${identity.deviceThumbprint ?? '?'}`;
}

export async function login(options: LoginOptions): Promise<void> {
  const control = client();
  const start = await control.loginStart(options.deviceCode ? 'device' : 'browser');
  if (options.json) {
    process.stdout.write(`${JSON.stringify(startLine(start))}\n`);
  } else if (start.method === 'device') {
    process.stdout.write(
      `To sign in, open ${start.verificationUri} on any device and enter the code\n\n    ${start.userCode}\n\n` +
        (start.verificationUriComplete === undefined ? '' : `(or open ${start.verificationUriComplete})\n`) +
        `Waiting until ${start.expiresAt}...\n`,
    );
  } else {
    process.stdout.write(
      `${options.browser === false ? 'Open this URL' : 'Opening your browser'} to sign in:\n\n    ${start.authorizationUrl}\n\nWaiting for the browser...\n`,
    );
  }
  if (start.method === 'browser' && options.browser !== false && start.authorizationUrl !== undefined) {
    openBrowser(start.authorizationUrl);
  }
  for (;;) {
    const result = await control.loginWait(start.flowId);
    if (result.state === 'pending') continue;
    if (options.json)
      process.stdout.write(`${JSON.stringify({ signedIn: true, identity: result.identity })}\n`);
    else process.stdout.write(`Signed in as ${describeIdentity(result.identity)}.\n`);
    return;
  }
}

export async function logout(options: { json?: boolean }): Promise<void> {
  const result = await client().logout();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const who = result.user === null ? '' : ` ${result.user}`;
  process.stdout.write(
    result.revoked
      ? `Signed out${who}: the refresh token was revoked at the identity provider; tokens and the device key were deleted.\n`
      : `Signed out${who}: tokens and the device key were deleted (the identity provider did not confirm revocation).\n`,
  );
}
