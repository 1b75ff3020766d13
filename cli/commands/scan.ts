import { readFile } from 'node:fs/promises';
import { createDetector, redact, type Finding } from '../../core/detect/index.js';
import { CliExit, EXIT_ERROR, EXIT_FOUND } from '../context.js';
import { z } from 'zod';

// Extra keys are ignored: the contract names only `id` and `text`, and other tools add their own.
const inputLine = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });

interface ScanResult {
  id: string | number;
  findings: Array<Pick<Finding, 'rule' | 'category' | 'start' | 'end' | 'action'>>;
  redacted: string;
}

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliExit(EXIT_ERROR, `llmgate scan: cannot read ${file}: ${(err as Error).message}`);
  }
}

export async function scan(files: string[], options: { json?: boolean; jsonl?: boolean }): Promise<void> {
  if (options.json && options.jsonl)
    throw new CliExit(EXIT_ERROR, 'llmgate scan: choose --json or --jsonl, not both');
  const detector = createDetector();
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
  const inputs = files.length === 0 ? ['-'] : files;
  let found = false;
  let bad = 0;
  for (const file of inputs) {
    const content = await readInput(file);
    if (options.jsonl) {
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
            `llmgate scan: ${file === '-' ? 'stdin' : file} line ${i + 1}: expected {"id": ..., "text": "..."}; skipped\n`,
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
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(result.redacted);
      for (const f of result.findings)
        process.stderr.write(
          `${file === '-' ? 'stdin' : file}: ${f.rule} (${f.category}) at ${f.start}-${f.end}: ${f.action}\n`,
        );
    }
  }
  if (bad > 0)
    throw new CliExit(EXIT_ERROR, `llmgate scan: ${bad} input line(s) were not valid and were skipped`);
  if (found) throw new CliExit(EXIT_FOUND);
}
