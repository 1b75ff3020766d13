/**
 * A real Secret Service for tests: a private D-Bus session bus and gnome-keyring-daemon unlocked with a
 * test password, so keychain tests run the same on CI and on a laptop without touching the user's own
 * keyring. The bus has no service directories: nothing is auto-activated behind the test's back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';

export interface TestKeyring {
  /** The bus address, also set in `process.env.DBUS_SESSION_BUS_ADDRESS` (children inherit it). */
  readonly address: string;
  close(): Promise<void>;
}

const PASSWORD = 'llmgate-test-keyring-password';

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startTestKeyring(): Promise<TestKeyring> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lg-keyring-'));
  const runtime = path.join(dir, 'run');
  const data = path.join(dir, 'data');
  await mkdir(runtime, { mode: 0o700 });
  await mkdir(data, { mode: 0o700 });
  const address = `unix:path=${path.join(dir, 'bus')}`;
  const busConfig = path.join(dir, 'bus.conf');
  await writeFile(
    busConfig,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>${address}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>\n`,
  );
  const bus = spawn('dbus-daemon', [`--config-file=${busConfig}`, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    bus.once('error', (err) =>
      reject(new Error(`dbus-daemon is required for keychain tests: ${err.message}`)),
    );
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
    bus.stdout!.once('data', () => resolve());
  });
  const previous = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = address;
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env: {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: address,
      XDG_RUNTIME_DIR: runtime,
      XDG_DATA_HOME: data,
      HOME: dir,
    },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const failed = new Promise<never>((_, reject) => {
    keyring.once('error', (err) =>
      reject(new Error(`gnome-keyring-daemon is required for keychain tests: ${err.message}`)),
    );
  });
  keyring.stdin!.end(PASSWORD);
  // Ready when a write and a read go through the Secret Service.
  const deadline = Date.now() + 15_000;
  let probe: AsyncEntry;
  for (;;) {
    try {
      // The constructor already looks for the Secret Service, so it is retried too.
      probe = new AsyncEntry('llmgate-test-probe', 'probe', { linux: { store: 'secret-service' } });
      await Promise.race([probe.setPassword('ready'), failed]);
      if ((await probe.getPassword()) === 'ready') break;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`the test Secret Service did not come up: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await probe.deleteCredential();
  return {
    address,
    close: async () => {
      keyring.kill('SIGTERM');
      bus.kill('SIGTERM');
      await Promise.all([exited(keyring), exited(bus)]);
      if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = previous;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
