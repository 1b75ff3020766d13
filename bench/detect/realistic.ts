/**
 * Detector throughput on realistic prompts (source code, logs, prose) at 1 KB, 100 KB and 5 MB, and on
 * hostile inputs of the same size (long runs of near-matches of many rules' keywords, and the worst cases of
 * the digit-run pass: near misses of the digit rules, one-digit runs, one endless run). Part of
 * `npm run bench`. The code input is this repository's own TypeScript, so it is real code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createDetector } from '../../core/detect/index.js';
import { HOSTILE_DIGITS } from './inputs.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceCode(): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      // Rule files are left out: their examples are secrets by design.
      else if (name.endsWith('.ts') && !full.includes(`${path.sep}rules${path.sep}`)) files.push(full);
    }
  };
  walk(path.join(repo, 'core'));
  walk(path.join(repo, 'cli'));
  return files
    .sort()
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

function logs(): string {
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = new Date(Date.UTC(2026, 10, 21, 12, 0, 0, i * 137)).toISOString();
    lines.push(
      `${t} INFO  worker-${i % 7} request_id=${(i * 2654435761) % 4294967296} path=/api/v2/orders/${100000 + i} status=${i % 13 === 0 ? 500 : 200} ` +
        `latency_ms=${(i * 37) % 900} upstream=10.0.${i % 255}.${(i * 7) % 255}:8080 trace=${((i * 48271) % 2147483647).toString(16).padStart(8, '0')}`,
    );
  }
  return lines.join('\n');
}

function prose(): string {
  const sentences = [
    'The quarterly review covered the migration of the billing service to the new cluster.',
    'Several customers reported slower checkouts during the maintenance window on Tuesday.',
    'We agreed to add retries with backoff and to alert when the error rate exceeds two percent.',
    'Please summarise the incident timeline and suggest three follow-up actions for the team.',
  ];
  const out: string[] = [];
  for (let i = 0; i < 400; i++) out.push(sentences[i % sentences.length]!);
  return out.join(' ');
}

/** Near-misses of many rules, repeated without newlines: keyword hits everywhere, almost no matches. */
function hostile(): string {
  return [
    'AKIA',
    'ghp_',
    'sk-',
    'xoxb-',
    'glpat-',
    'password=',
    'Bearer ',
    '-----BEGIN ',
    'eyJ',
    'a@b',
    '4111 ',
    '+1 ',
    'GB82 ',
    '10.0.',
    'mongodb://u:',
    'api_key: ',
  ].join('x');
}

function sized(text: string, bytes: number): string {
  let out = text;
  while (out.length < bytes) out += `\n${text}`;
  return out.slice(0, bytes);
}

function timeMs(scan: () => void, minMs: number): number {
  scan();
  const samples: number[] = [];
  const deadline = performance.now() + minMs;
  while (samples.length < 5 || performance.now() < deadline) {
    const t = performance.now();
    scan();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export function runRealisticDetectorBench(): void {
  const detector = createDetector();
  const kinds: [string, string][] = [
    ['source code', sourceCode()],
    ['logs', logs()],
    ['prose', prose()],
    ['hostile near-matches', hostile()],
    ...Object.entries(HOSTILE_DIGITS).map(([name, unit]): [string, string] => [`hostile ${name}`, unit]),
  ];
  const sizes: [string, number][] = [
    ['1 KB', 1024],
    ['100 KB', 100 * 1024],
    ['5 MB', 5 * 1024 * 1024],
  ];
  console.log('\ndetector throughput (one core; median of repeated scans)');
  console.log('| input | size | time per scan | MB/s |');
  console.log('|---|---:|---:|---:|');
  const benign5mb: number[] = [];
  const hostile5mb: [string, number][] = [];
  for (const [kind, base] of kinds) {
    for (const [label, bytes] of sizes) {
      const text = sized(base, bytes);
      const ms = timeMs(() => detector.scan(text), bytes > 1e6 ? 2000 : 500);
      if (bytes > 1e6) {
        if (kind.startsWith('hostile')) hostile5mb.push([kind, ms]);
        else benign5mb.push(ms);
      }
      const time = ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
      console.log(`| ${kind} | ${label} | ${time} | ${(bytes / 1e6 / (ms / 1000)).toFixed(0)} |`);
    }
  }
  const worstBenign = Math.max(...benign5mb);
  for (const [kind, ms] of hostile5mb) {
    console.log(`${kind} 5 MB vs slowest benign 5 MB: ${(ms / worstBenign).toFixed(2)}x`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) runRealisticDetectorBench();
