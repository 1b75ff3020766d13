/**
 * `llmgate scan`: the detectors as a tool developers run before pasting, and CI runs on a tree. Needs no
 * daemon. Findings never print the matched value, only where it is and which rule found it.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  createDetector,
  describeRules,
  redact,
  type Finding,
  type RuleSummary,
} from '../../core/detect/index.js';
import { VERSION } from '../../core/version.js';
import { detectorOptionsFromConfig, loadConfig } from '../../core/config/index.js';
import { CliExit, EXIT_ERROR, EXIT_FOUND, paths, printJson } from '../context.js';

export type ScanFormat = 'text' | 'json' | 'jsonl' | 'sarif';

export interface ScanOptions {
  json?: boolean;
  jsonl?: boolean;
  format?: ScanFormat;
  explain?: boolean;
  rules?: boolean;
}

// Extra keys are ignored: the contract names only `id` and `text`, and other tools add their own.
const inputLine = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });

type ReportedFinding = Pick<Finding, 'rule' | 'category' | 'start' | 'end' | 'action'>;

interface ScanResult {
  id: string | number;
  findings: ReportedFinding[];
  redacted: string;
}

/** Directories that hold dependencies or VCS data, not the developer's text. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** Files larger than this are reported and skipped: a scan before pasting is about prompts, not dumps. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** FILE and DIR arguments expanded to files, in a stable order; `-` is stdin. */
async function expandInputs(inputs: readonly string[]): Promise<{ files: string[]; directories: boolean }> {
  const files: string[] = [];
  let directories = false;
  const visit = async (entry: string): Promise<void> => {
    let info;
    try {
      info = await stat(entry);
    } catch (err) {
      throw new CliExit(EXIT_ERROR, `llmgate scan: cannot read ${entry}: ${(err as Error).message}`);
    }
    if (!info.isDirectory()) {
      files.push(entry);
      return;
    }
    directories = true;
    const children = (await readdir(entry, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const child of children) {
      if (child.isDirectory() && SKIPPED_DIRECTORIES.has(child.name)) continue;
      if (child.isDirectory() || child.isFile()) await visit(path.join(entry, child.name));
    }
  };
  for (const input of inputs) {
    if (input === '-') files.push(input);
    else await visit(input);
  }
  return { files, directories };
}

/** The text of one input, or undefined (with a note on stderr) for binary or oversized files. */
async function readText(file: string): Promise<string | undefined> {
  if (file === '-') return readStdin();
  let buf: Buffer;
  try {
    const info = await stat(file);
    if (info.size > MAX_FILE_BYTES) {
      process.stderr.write(`llmgate scan: ${file}: skipped, larger than ${MAX_FILE_BYTES} bytes\n`);
      return undefined;
    }
    buf = await readFile(file);
  } catch (err) {
    throw new CliExit(EXIT_ERROR, `llmgate scan: cannot read ${file}: ${(err as Error).message}`);
  }
  if (buf.includes(0)) return undefined; // binary: images, archives, compiled files
  return buf.toString('utf8');
}

/** 1-based line and column (in UTF-16 units, as SARIF's default) of a string index. */
function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

function sarif(
  results: { file: string; text: string; findings: ReportedFinding[] }[],
  rules: readonly RuleSummary[],
): unknown {
  const used = new Set(results.flatMap((r) => r.findings.map((f) => f.rule)));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'llmgate',
            version: VERSION,
            rules: rules
              .filter((r) => used.has(r.id))
              .map((r) => ({
                id: r.id,
                shortDescription: { text: r.description },
                properties: { category: r.category },
              })),
          },
        },
        results: results.flatMap(({ file, text, findings }) =>
          findings.map((f) => {
            const start = lineColumn(text, f.start);
            const end = lineColumn(text, f.end);
            return {
              ruleId: f.rule,
              level: f.category === 'secret' ? 'error' : 'warning',
              // Never the matched value: a SARIF report is uploaded and shared.
              message: {
                text: `${f.category === 'secret' ? 'Secret' : 'Personal data'} found by rule ${f.rule}.`,
              },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: file.split(path.sep).join('/') },
                    region: {
                      startLine: start.line,
                      startColumn: start.column,
                      endLine: end.line,
                      endColumn: end.column,
                    },
                  },
                },
              ],
            };
          }),
        ),
      },
    ],
  };
}

/** Built-in rules, then the organisation's dictionaries and patterns, each with the action config gives it. */
function listRules(rules: readonly RuleSummary[], json: boolean): void {
  if (json) {
    printJson(
      rules.map(({ id, category, description, source, action }) => ({
        id,
        category,
        description,
        source,
        action,
      })),
    );
    return;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  for (const r of rules) {
    const action = r.action === 'allow' ? 'off' : r.action;
    process.stdout.write(
      `${r.id.padEnd(width)}  ${r.category.padEnd(6)}  ${action.padEnd(6)}  ${r.description}\n`,
    );
  }
}

export async function scan(inputs: string[], options: ScanOptions): Promise<void> {
  const chosen = [options.json && 'json', options.jsonl && 'jsonl', options.format].filter(Boolean);
  if (new Set(chosen).size > 1) {
    throw new CliExit(EXIT_ERROR, 'llmgate scan: choose one output format (--json, --jsonl or --format)');
  }
  const format: ScanFormat = (chosen[0] as ScanFormat | undefined) ?? 'text';
  // The organisation's dictionaries, patterns, allowlists and actions from config.json apply here as in the proxy.
  const { config: configFile, home } = paths();
  const detectorOptions = await detectorOptionsFromConfig(await loadConfig(configFile), home);
  const rules = describeRules(detectorOptions);
  if (options.rules) {
    listRules(rules, format === 'json');
    return;
  }
  const detector = createDetector(detectorOptions);
  const describe = new Map(rules.map((r) => [r.id, r.description]));
  const run = (id: string | number, text: string): ScanResult => {
    const findings = detector.scan(text);
    return {
      id,
      findings: findings.map(({ rule, category, start, end, action }) => ({
        rule,
        category,
        start,
        end,
        action,
      })),
      redacted: redact(text, findings),
    };
  };
  const { files, directories } = await expandInputs(inputs.length === 0 ? ['-'] : inputs);
  // One file or stdin: a filter (redacted text out, findings on stderr). A tree: one line per finding.
  const asFilter = files.length === 1 && !directories;
  const sarifResults: { file: string; text: string; findings: ReportedFinding[] }[] = [];
  let found = false;
  let bad = 0;
  for (const file of files) {
    const content = await readText(file);
    if (content === undefined) continue;
    const name = file === '-' ? 'stdin' : file;
    if (format === 'jsonl') {
      const lines = content.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (line === '') continue;
        let parsed: z.infer<typeof inputLine>;
        try {
          parsed = inputLine.parse(JSON.parse(line));
        } catch {
          bad++;
          process.stderr.write(
            `llmgate scan: ${name} line ${i + 1}: expected {"id": ..., "text": "..."}; skipped\n`,
          );
          continue;
        }
        const result = run(parsed.id, parsed.text);
        found ||= result.findings.length > 0;
        process.stdout.write(`${JSON.stringify(result)}\n`);
      }
      continue;
    }
    const result = run(file, content);
    found ||= result.findings.length > 0;
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else if (format === 'sarif') {
      sarifResults.push({ file: name, text: content, findings: result.findings });
    } else if (asFilter) {
      process.stdout.write(result.redacted);
      for (const f of result.findings) {
        const { line, column } = lineColumn(content, f.start);
        process.stderr.write(
          `${name}:${line}:${column}: ${f.rule} (${f.category}): ${f.action}${options.explain ? ` - ${describe.get(f.rule) ?? ''}` : ''}\n`,
        );
      }
    } else {
      for (const f of result.findings) {
        const { line, column } = lineColumn(content, f.start);
        process.stdout.write(
          `${name}:${line}:${column}: ${f.rule} (${f.category})${options.explain ? ` - ${describe.get(f.rule) ?? ''}` : ''}\n`,
        );
      }
    }
  }
  if (format === 'sarif') process.stdout.write(`${JSON.stringify(sarif(sarifResults, rules), null, 2)}\n`);
  if (bad > 0)
    throw new CliExit(EXIT_ERROR, `llmgate scan: ${bad} input line(s) were not valid and were skipped`);
  if (found) throw new CliExit(EXIT_FOUND);
}
