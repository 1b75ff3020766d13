import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DetectorOptions, Dictionary } from '../detect/index.js';
import { ConfigError } from '../errors.js';
import type { Config } from './schema.js';

/** Terms of a dictionary file: one per line, blank lines and `#` comments ignored. */
function termsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * The detector options config asks for: dictionaries (their files read relative to `configDir`) and
 * actions. The daemon and `llmgate scan` build their detectors from this one function.
 */
export async function detectorOptionsFromConfig(config: Config, configDir: string): Promise<DetectorOptions> {
  const dictionaries: Dictionary[] = [];
  for (const d of config.detect.dictionaries) {
    let terms = d.terms;
    if (d.file !== undefined) {
      const file = path.resolve(configDir, d.file);
      try {
        terms = termsOf(await readFile(file, 'utf8'));
      } catch (err) {
        throw new ConfigError(
          'LG_CONFIG_INVALID',
          `detect.dictionaries "${d.id}": cannot read ${file}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
    }
    dictionaries.push({ id: d.id, description: d.description, category: d.category, terms: terms ?? [] });
  }
  return {
    dictionaries,
    categoryActions: config.detect.actions.categories,
    ruleActions: config.detect.actions.rules,
  };
}
