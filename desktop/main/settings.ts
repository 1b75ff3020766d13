/** The tray app's own settings: a small JSON file in its user-data folder, owner-only, read strictly. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Settings } from '../shared/api.js';

const settingsSchema = z.strictObject({ startAtLogin: z.boolean(), notifications: z.boolean() });

export const DEFAULT_SETTINGS: Settings = { startAtLogin: true, notifications: true };

/** A missing or unreadable file means the defaults: settings are preferences, never a reason not to start. */
export async function loadSettings(file: string): Promise<Settings> {
  try {
    return settingsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export async function saveSettings(file: string, settings: Settings): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify(settingsSchema.parse(settings), null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}
