/**
 * Where tokens and the device key live. The OS keychain (Keychain on macOS, Credential Manager on
 * Windows, the Secret Service on Linux) through @napi-rs/keyring; a plaintext file only when config opts
 * in with `identity.allowPlaintextFileStore`. Nothing else in llmgate writes these values anywhere.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';
import { IdentityError } from '../errors.js';

/** Named secrets, each a string. Implementations never log or echo values, not even in errors. */
export interface SecretStore {
  readonly kind: 'keychain' | 'file';
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** What a user without a Secret Service reads, in the refusal and in `llmgate status`. */
export const NO_KEYCHAIN_HELP =
  'No OS keychain is reachable, so llmgate will not store sign-in tokens. On Linux, run a Secret Service ' +
  '(install gnome-keyring or KeePassXC with its Secret Service integration, unlock it, and make sure ' +
  'DBUS_SESSION_BUS_ADDRESS is set: over SSH, `dbus-run-session -- bash` then `gnome-keyring-daemon --unlock`). ' +
  'If this machine has no keychain at all, an admin can set identity.allowPlaintextFileStore in config.json ' +
  '(weaker: the tokens then sit in a file).';

const SERVICE = 'llmgate';

/**
 * Secrets of one llmgate home: account names carry a hash of the home so two homes (two test daemons,
 * a second profile) never read each other's tokens.
 */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private readonly prefix: string;

  constructor(home: string) {
    this.prefix = createHash('sha256').update(path.resolve(home)).digest('hex').slice(0, 16);
  }

  private entry(name: string): AsyncEntry {
    // Pinned to the Secret Service on Linux: the default falls back to the kernel keyring, which loses
    // everything at logout/reboot and is readable by any process of the user in the session.
    return new AsyncEntry(SERVICE, `${this.prefix}:${name}`, { linux: { store: 'secret-service' } });
  }

  private failure(op: string, err: unknown): IdentityError {
    const message = err instanceof Error ? err.message : String(err);
    // @napi-rs/keyring reports an unreachable store as a platform failure (no bus, no daemon, locked).
    if (/dbus|platform failure|no storage|not available|locked/i.test(message)) {
      return new IdentityError('LG_IDENTITY_NO_KEYCHAIN', NO_KEYCHAIN_HELP, { cause: err });
    }
    return new IdentityError('LG_IDENTITY_KEYCHAIN_FAILED', `the OS keychain refused to ${op}: ${message}`, {
      cause: err,
    });
  }

  async get(name: string): Promise<string | undefined> {
    try {
      return (await this.entry(name).getPassword()) ?? undefined;
    } catch (err) {
      throw this.failure('read a secret', err);
    }
  }

  async set(name: string, value: string): Promise<void> {
    try {
      await this.entry(name).setPassword(value);
    } catch (err) {
      throw this.failure('store a secret', err);
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.entry(name).deleteCredential();
    } catch (err) {
      throw this.failure('delete a secret', err);
    }
  }
}

/** The opt-in fallback: one owner-only JSON file, rewritten atomically. */
export class PlaintextFileStore implements SecretStore {
  readonly kind = 'file' as const;
  private writes: Promise<void> = Promise.resolve();
  constructor(readonly file: string) {}

  private async readAll(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new IdentityError('LG_IDENTITY_KEYCHAIN_FAILED', `cannot read ${this.file}`, { cause: err });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    } catch {
      // Never echo the file: it holds tokens.
      throw new IdentityError('LG_IDENTITY_KEYCHAIN_FAILED', `${this.file} is not valid JSON; delete it`);
    }
  }

  private async writeAll(all: Record<string, string>): Promise<void> {
    if (Object.keys(all).length === 0) {
      await rm(this.file, { force: true });
      return;
    }
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(all), { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.file);
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.readAll())[name];
  }
  set(name: string, value: string): Promise<void> {
    return this.update((all) => {
      all[name] = value;
    });
  }
  delete(name: string): Promise<void> {
    return this.update((all) => {
      delete all[name];
    });
  }

  /**
   * Read-modify-write, one at a time: two writes interleaved (a refresh saving the session while the
   * user-hash key is created) would otherwise each write the file without the other's entry.
   */
  private update(change: (all: Record<string, string>) => void): Promise<void> {
    const run = this.writes.then(async () => {
      const all = await this.readAll();
      change(all);
      await this.writeAll(all);
    });
    this.writes = run.catch(() => {});
    return run;
  }
}

/**
 * Probes the keychain once: a store that cannot be reached is reported up front (with instructions),
 * not at the first token write halfway through a sign-in.
 */
export async function probeKeychain(store: SecretStore): Promise<IdentityError | undefined> {
  try {
    await store.get('probe');
    return undefined;
  } catch (err) {
    return new IdentityError('LG_IDENTITY_NO_KEYCHAIN', NO_KEYCHAIN_HELP, { cause: err });
  }
}
