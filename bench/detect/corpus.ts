/**
 * Recall and false-positive rate of the built-in detector on the public detection corpus (fixtures of
 * gitleaks, secretlint, detect-secrets, Presidio, libphonenumber-js). A measurement, not a tuning target:
 * rules follow the real credential formats, never this file's strings.
 *
 *   npx tsx bench/detect/corpus.ts            # corpus from $LLMGATE_CORPUS or ../shared/corpus/detection
 *
 * - expect=redact: recalled when no string of `secrets` remains in the redacted text.
 * - expect=keep:   a false positive when the redacted text differs from the input.
 * - expect=ambiguous: counted in neither.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetector, redact } from '../../core/detect/index.js';

interface Case {
  id: string;
  kind: string;
  expect: 'redact' | 'keep' | 'ambiguous';
  text: string;
  secrets?: string[];
  context_required?: boolean;
  /** IP cases: public, private/reserved, loopback... (flagging non-public addresses is a policy choice). */
  ip_scope?: string[];
}

interface Tally {
  redact: number;
  recalled: number;
  keep: number;
  falsePositives: number;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = process.env.LLMGATE_CORPUS ?? join(repoRoot, '..', 'shared', 'corpus', 'detection');

function load(file: string): Case[] {
  const path = join(corpusDir, file);
  if (!existsSync(path)) {
    console.error(`corpus file not found: ${path} (set LLMGATE_CORPUS)`);
    process.exit(2);
  }
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Case);
}

const empty = (): Tally => ({ redact: 0, recalled: 0, keep: 0, falsePositives: 0 });
const pct = (a: number, b: number): string =>
  b === 0 ? '    -' : `${((100 * a) / b).toFixed(1).padStart(5)}%`;

const detector = createDetector();

function measure(cases: Case[]): {
  byKind: Map<string, Tally>;
  total: Tally;
  context: Tally;
  noContext: Tally;
  ms: number;
} {
  const byKind = new Map<string, Tally>();
  const total = empty();
  const context = empty();
  const noContext = empty();
  const started = performance.now();
  for (const c of cases) {
    if (c.expect === 'ambiguous') continue;
    const redacted = redact(c.text, detector.scan(c.text));
    const kind = c.ip_scope === undefined ? c.kind : `${c.kind} [${[...new Set(c.ip_scope)].join(', ')}]`;
    const t = byKind.get(kind) ?? empty();
    byKind.set(kind, t);
    const buckets = [t, total, c.context_required === true ? context : noContext];
    if (c.expect === 'redact') {
      const ok = (c.secrets ?? []).every((s) => !redacted.includes(s));
      for (const b of buckets) {
        b.redact++;
        if (ok) b.recalled++;
      }
    } else {
      const fp = redacted !== c.text;
      for (const b of buckets) {
        b.keep++;
        if (fp) b.falsePositives++;
      }
    }
  }
  return { byKind, total, context, noContext, ms: performance.now() - started };
}

function report(title: string, file: string): Tally {
  const cases = load(file);
  const { byKind, total, context, noContext, ms } = measure(cases);
  console.log(`\n## ${title} (${file}: ${cases.length} cases, scanned in ${ms.toFixed(0)} ms)\n`);
  console.log(`${'kind'.padEnd(40)} ${'recall'.padStart(16)} ${'false positives'.padStart(18)}`);
  for (const [kind, t] of [...byKind.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const recall = t.redact === 0 ? '' : `${t.recalled}/${t.redact} ${pct(t.recalled, t.redact)}`;
    const fp = t.keep === 0 ? '' : `${t.falsePositives}/${t.keep} ${pct(t.falsePositives, t.keep)}`;
    console.log(`${kind.padEnd(40)} ${recall.padStart(16)} ${fp.padStart(18)}`);
  }
  console.log('');
  console.log(
    `recall overall:                  ${total.recalled}/${total.redact} ${pct(total.recalled, total.redact)}`,
  );
  console.log(
    `recall, prefix-bearing values:   ${noContext.recalled}/${noContext.redact} ${pct(noContext.recalled, noContext.redact)}`,
  );
  console.log(
    `recall, context_required values: ${context.recalled}/${context.redact} ${pct(context.recalled, context.redact)}`,
  );
  console.log(
    `false-positive rate (keep):      ${total.falsePositives}/${total.keep} ${pct(total.falsePositives, total.keep)}`,
  );
  return total;
}

console.log(`# llmgate detector on ${corpusDir}`);
const secrets = report('Secrets', 'secrets.jsonl');
const pii = report('PII', 'pii.jsonl');
console.log('\n## Summary\n');
console.log(
  `secrets: recall ${pct(secrets.recalled, secrets.redact)}, false positives ${pct(secrets.falsePositives, secrets.keep)}`,
);
console.log(
  `pii:     recall ${pct(pii.recalled, pii.redact)}, false positives ${pct(pii.falsePositives, pii.keep)}`,
);
