/**
 * File handling for CA material: atomic writes with the final mode set before any byte is written,
 * owner-only directories, and reads that tell "missing" apart from "unreadable".
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

import { CaError } from '../errors.js';

const isWindows = process.platform === 'win32';

/**
 * Creates `dir` (and parents) owner-only. An existing directory that others can read is tightened to 0700
 * when we own it; one we cannot change is left as it is (the key file itself is still 0600).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await ensureDir(dir);
  if (isWindows) return;
  const info = await stat(dir);
  if ((info.mode & 0o077) !== 0 && info.uid === process.getuid?.()) {
    await chmod(dir, 0o700).catch(() => undefined);
  }
}

/** Creates `dir` and its parents (new ones owner-only); an existing directory is left as it is. */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new CaError('LG_CA_UNWRITABLE', `cannot create ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Writes `data` to `file` atomically: a temp file in the same directory, created exclusively with `mode`
 * (then fchmod'ed to exactly `mode`, whatever the umask), fsynced, renamed over `file`.
 * A reader sees the old file or the new one, never a partial or briefly world-readable one.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      if (!isWindows) await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new CaError('LG_CA_UNWRITABLE', `cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!isWindows) await fsyncDir(path.dirname(file));
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: some file systems refuse to fsync a directory.
  }
}

/** The file's text, or undefined when it does not exist. Other failures are `LG_CA_INVALID`. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CaError('LG_CA_INVALID', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Tightens a key file that others can read back to 0600 (POSIX only; best effort). */
export async function tightenKeyFile(file: string): Promise<void> {
  if (isWindows) return;
  const info = await stat(file);
  if ((info.mode & 0o077) !== 0) await chmod(file, 0o600).catch(() => undefined);
}
