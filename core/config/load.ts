import { readFile } from 'node:fs/promises';

import { ConfigError } from '../errors.js';
import { configSchema, type Config } from './schema.js';

/** Parses a config value; every problem is listed with its key path so the user can fix the file. */
export function parseConfig(value: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError('LG_CONFIG_INVALID', `${source} is invalid:\n${lines.join('\n')}`, {
      cause: result.error,
    });
  }
  return result.data;
}

/** Reads `config.json`; a missing file means the embedded default. */
export async function loadConfig(file: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return parseConfig({}, file);
    throw new ConfigError('LG_CONFIG_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('LG_CONFIG_INVALID', `${file} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseConfig(json, file);
}
