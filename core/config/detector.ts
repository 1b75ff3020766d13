import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  builtinRules,
  compileLinearPattern,
  createDetector,
  type AllowlistEntry,
  type CustomPattern,
  type DetectorOptions,
  type Dictionary,
  type LinearPattern,
} from '../detect/index.js';
import { ConfigError, LlmgateError } from '../errors.js';
import { EMBEDDED_CATEGORY_ACTIONS, type Config } from './schema.js';

function invalid(where: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError('LG_CONFIG_INVALID', `${where}: ${message}`, { cause });
}

/** Compiles a config pattern; a pattern RE2 cannot run becomes a config error naming where it is. */
function linear(
  where: string,
  source: string,
  options: { caseInsensitive?: boolean; group?: number } = {},
): LinearPattern {
  try {
    return compileLinearPattern(source, options);
  } catch (err) {
    if (LlmgateError.is(err)) throw invalid(where, err.message, err);
    throw err;
  }
}

function patternsOf(config: Config): CustomPattern[] {
  return config.detect.patterns.map((p, index) => ({
    id: p.id,
    description: p.description,
    category: p.category,
    pattern: linear(`detect.patterns[${index}] "${p.id}"`, p.pattern, {
      caseInsensitive: p.caseInsensitive,
      ...(p.group === undefined ? {} : { group: p.group }),
    }),
    ...(p.keywords === undefined ? {} : { keywords: p.keywords.map((k) => k.toLowerCase()) }),
    ...(p.minEntropy === undefined ? {} : { minEntropy: p.minEntropy }),
  }));
}

function allowlistOf(config: Config): AllowlistEntry[] {
  return config.detect.allowlist.map((a, index) => ({
    ...(a.rules === undefined ? {} : { rules: a.rules }),
    ...(a.values === undefined ? {} : { values: a.values }),
    ...(a.patterns === undefined
      ? {}
      : {
          patterns: a.patterns.map((source, i) =>
            linear(`detect.allowlist[${index}].patterns[${i}]`, source),
          ),
        }),
  }));
}

/** Rule ids named in allowlists and actions must exist: a typo would otherwise silently do nothing. */
function checkRuleIds(config: Config, options: DetectorOptions): void {
  const known = new Set([
    ...builtinRules.map((r) => r.id),
    ...(options.dictionaries ?? []).map((d) => d.id),
    ...(options.patterns ?? []).map((p) => p.id),
  ]);
  const unknown = (where: string, id: string): ConfigError =>
    invalid(where, `no rule, dictionary or pattern has the id "${id}" (llmgate scan --rules lists them)`);
  config.detect.allowlist.forEach((a, index) => {
    for (const id of a.rules ?? []) if (!known.has(id)) throw unknown(`detect.allowlist[${index}].rules`, id);
  });
  for (const id of Object.keys(config.detect.actions.rules)) {
    if (!known.has(id)) throw unknown('detect.actions.rules', id);
  }
}

/** Each pattern's own examples, run through a detector built from the whole config (allowlists included). */
function checkExamples(config: Config, options: DetectorOptions): void {
  const detector = createDetector({ ...options, categoryActions: {}, ruleActions: {} });
  config.detect.patterns.forEach((p, index) => {
    const where = `detect.patterns[${index}] "${p.id}"`;
    p.examples?.match.forEach((text, i) => {
      if (!detector.scan(text).some((f) => f.rule === p.id))
        throw invalid(`${where}.examples.match[${i}]`, 'the pattern finds nothing in this example');
    });
    p.examples?.noMatch.forEach((text, i) => {
      if (detector.scan(text).some((f) => f.rule === p.id))
        throw invalid(`${where}.examples.noMatch[${i}]`, 'the pattern matches this near miss');
    });
  });
}

/** Terms of a dictionary file: one per line, blank lines and `#` comments ignored. */
function termsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * The detector options config asks for: dictionaries (their files read relative to `configDir`), patterns
 * (compiled with RE2, their examples checked), allowlists and actions; an unknown rule id is an error. The daemon and `llmgate scan` build their detectors from this one function.
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
  const options: DetectorOptions = {
    dictionaries,
    patterns: patternsOf(config),
    allowlist: allowlistOf(config),
    categoryActions: { ...EMBEDDED_CATEGORY_ACTIONS, ...config.detect.actions.categories },
    ruleActions: config.detect.actions.rules,
  };
  checkRuleIds(config, options);
  checkExamples(config, options);
  return options;
}
