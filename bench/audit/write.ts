/**
 * Audit log write path, measured on the real writer (commits on this thread, fsyncs on the WAL thread), in both durability modes (default: acknowledged
 * once in the WAL, fsynced within 50 ms; `fsyncEachCommit`: acknowledged after the fsync):
 * - throughput: events appended as fast as the proxy could produce them, group-committed (events/s);
 * - commit wait: what one response waits for its event when the daemon is otherwise idle (p50/p99),
 *   and under a steady 1,000 events/s;
 * - event-loop cost: busy time of the proxy's thread per event during the throughput run (event-loop
 *   utilisation × wall time / events: `append`, chaining and the commit itself, now on this thread).
 * Sizes from env: BENCH_AUDIT_EVENTS (default 50,000).
 *
 *   npx tsx bench/audit/write.ts   (also part of `npm run bench`)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { openAuditWriter, type AuditEventInput } from '../../core/audit/index.js';

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 50_000);

function event(i: number): AuditEventInput {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    time: new Date().toISOString(),
    user: 'local:dev',
    device: 'bench-laptop',
    host: 'api.openai.com',
    provider: 'openai',
    method: 'POST',
    path: '/v1/chat/completions',
    model: 'gpt-4o-mini',
    stream: false,
    decision: 'redact',
    rules: ['aws-access-key', 'email'],
    redactions: { 'aws-access-key': 1, email: 1 },
    status: 200,
    error: null,
    latencyMs: 12.345,
    bytes: { request: 8192, response: 512 },
    usage: { inputTokens: 1800, outputTokens: 40 },
  };
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export async function runAuditWriteBench(): Promise<void> {
  console.log("\naudit log writes (commit on the daemon's thread, WAL, group commit)");
  console.log(
    '| mode | events | events/s | proxy-thread busy per event | commit wait idle p50 / p99 | at ~1,000/s p50 / p99 |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  await runMode(false);
  await runMode(true);
}

async function runMode(fsyncEachCommit: boolean): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lg-bench-audit-'));
  try {
    const writer = await openAuditWriter({ file: path.join(dir, 'audit.db'), fsyncEachCommit });
    let n = 0;
    // Warm-up: JIT and the database file.
    await Promise.all(Array.from({ length: 2000 }, () => writer.append(event(n++))));

    // Throughput: the proxy thread produces events as fast as it can.
    const elu = performance.eventLoopUtilization();
    const start = performance.now();
    const pending: Promise<boolean>[] = [];
    for (let i = 0; i < EVENTS; i++) {
      pending.push(writer.append(event(n++)));
      // Yield now and then, as a proxy serving sockets would.
      if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    const seconds = (performance.now() - start) / 1000;
    const busyMs = performance.eventLoopUtilization(elu).active;

    // Commit wait, idle: one event at a time.
    const idle: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      await writer.append(event(n++));
      idle.push(performance.now() - t);
    }
    idle.sort((a, b) => a - b);

    // Commit wait at a steady 1,000 events/s (far above one developer).
    const steady: number[] = [];
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      waits.push(writer.append(event(n++)).then(() => void steady.push(performance.now() - t)));
      await sleep(1);
    }
    await Promise.all(waits);
    steady.sort((a, b) => a - b);
    await writer.close();

    console.log(
      `| ${fsyncEachCommit ? 'fsyncEachCommit' : 'default'} | ${EVENTS.toLocaleString('en')} | ${Math.round(EVENTS / seconds).toLocaleString('en')} | ${((busyMs / EVENTS) * 1000).toFixed(2)} µs | ` +
        `${pct(idle, 0.5).toFixed(2)} / ${pct(idle, 0.99).toFixed(2)} ms | ${pct(steady, 0.5).toFixed(2)} / ${pct(steady, 0.99).toFixed(2)} ms |`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAuditWriteBench();
