/**
 * Detector throughput on fixed synthetic inputs. The current engine (keyword pass, then each rule's regex
 * only near its keyword hits) against two alternatives:
 * - whole-text runs: the same rules without `matchStart` or `digitRuns`, so each rule whose keyword occurs
 *   runs its regex over the whole text (the engine before issue 3; its keyword pass is the current one);
 * - no prefilter: every rule's regex over the whole text, keyword or not.
 *
 *   npx tsx bench/detect/throughput.ts            # LLMGATE_BENCH_MS=1500 per cell by default
 *
 * Each cell is the median of timed batches (at least 7), in µs per scan.
 */
import { builtinRules, createDetector, type Detector, type Rule } from '../../core/detect/index.js';
import { prosePrompt, syntheticPrompt } from './inputs.js';

/** No keyword prefilter: each rule's regex (with `g`) over the whole text. */
function noPrefilter(): Detector {
  const compiled = builtinRules.map((r) => ({ r, re: new RegExp(r.pattern.source, r.pattern.flags + 'gd') }));
  const detector = createDetector();
  return {
    scan(text: string) {
      for (const { re } of compiled) {
        re.lastIndex = 0;
        while (re.exec(text) !== null) {
          /* count only: the cost measured is the regex passes */
        }
      }
      return detector.scan(text);
    },
  };
}

/** The rules without `matchStart` or `digitRuns`: one whole-text run per rule whose keyword occurs. */
function wholeTextRuns(): Detector {
  const rules: Rule[] = builtinRules.map(({ matchStart: _unused, digitRuns: _runs, ...r }) => r);
  return createDetector({ rules });
}

function bench(detector: Detector, text: string, minMs: number): { perScanUs: number; mbPerS: number } {
  for (let i = 0; i < 50; i++) detector.scan(text);
  const samples: number[] = [];
  const deadline = performance.now() + minMs;
  while (performance.now() < deadline || samples.length < 7) {
    const reps = Math.max(1, Math.floor(200_000 / text.length));
    const start = performance.now();
    for (let i = 0; i < reps; i++) detector.scan(text);
    samples.push((performance.now() - start) / reps);
  }
  samples.sort((a, b) => a - b);
  const ms = samples[Math.floor(samples.length / 2)] as number;
  return { perScanUs: ms * 1000, mbPerS: text.length / 1e6 / (ms / 1000) };
}

const inputs: [string, string][] = [
  ['8 KB prompt, 2 secrets', syntheticPrompt(8 * 1024)],
  ['8 KB prose, key + email', prosePrompt(8 * 1024)],
  ['200 KB prompt, 2 secrets', syntheticPrompt(200 * 1024)],
  ['200 KB prose, key + email', prosePrompt(200 * 1024)],
  ['1 MB text, 40 secrets', syntheticPrompt(1024 * 1024, 40)],
];
const minMs = Number(process.env.LLMGATE_BENCH_MS ?? 1500);
const current = createDetector();
const alternatives: [string, Detector][] = [
  ['whole-text runs', wholeTextRuns()],
  ['no prefilter', noPrefilter()],
];
const cell = (r: { perScanUs: number; mbPerS: number }): string =>
  `${r.perScanUs.toFixed(1)} µs ${r.mbPerS.toFixed(0).padStart(4)} MB/s`.padStart(24);

console.log(`node ${process.version}, ${builtinRules.length} rules\n`);
console.log(
  `${'input'.padEnd(27)} ${'current'.padStart(24)} ${alternatives.map(([name]) => name.padStart(24)).join(' ')}`,
);
for (const [name, text] of inputs) {
  const same = JSON.stringify(current.scan(text));
  for (const [alt, d] of alternatives) {
    if (JSON.stringify(d.scan(text)) !== same) throw new Error(`${alt} disagrees with current on ${name}`);
  }
  const row = [bench(current, text, minMs), ...alternatives.map(([, d]) => bench(d, text, minMs))];
  console.log(`${name.padEnd(27)} ${row.map(cell).join(' ')}`);
}
for (const [name, text] of inputs.slice(0, 2)) {
  console.log(
    `\nfindings in the ${name}: ${current
      .scan(text)
      .map((f) => f.rule)
      .join(', ')}`,
  );
}
