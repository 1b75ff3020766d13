/**
 * Soak (issue 9): the real daemon, as its own process, keeps 200 slow streams open for a minute: as one
 * ends the next starts, each carrying an AWS key. Every stream arrives whole, no key reaches the
 * provider, the audit log holds exactly one event per request, and the daemon's resident memory (VmRSS,
 * sampled every 250 ms from /proc) levels off instead of growing with the number of requests served.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch as undiciFetch } from 'undici';
import { openAuditReader } from '../../core/audit/index.js';
import { statePaths } from '../../core/config/index.js';
import { exited, startDaemonProcess, type DaemonProcess } from '../support/daemon-process.js';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.js';
import { CHAT_HEADERS, CHAT_URL, expectNoSecretForwarded } from '../support/hostile.js';
import { AWS_KEY } from '../support/secrets.js';
import { createTestPki } from '../support/test-pki.js';

const CONCURRENT = 200;
const SOAK_MS = 60_000;
/** 20 events 150 ms apart: each stream stays open about 3 s. */
const EVENTS = 20;
const EVENT_DELAY_MS = 150;
const SAMPLE_MS = 250;
/** The first and last 20 s of the minute are compared. */
const WINDOW_MS = 20_000;
const MiB = 1024 * 1024;
/**
 * Allowed rise of the last window's peak over the first window's. The first window already holds 200
 * open streams with their TLS sessions and buffers; what is left to grow is V8 heap slack between
 * collections and the audit writer's SQLite page cache (7-21 MiB observed). About 2,200 requests are
 * served between the windows, so a leak of roughly 15 KB per request or more fails within the minute.
 */
const GROWTH_MARGIN = 48 * MiB;
/**
 * Absolute ceiling for the whole daemon with 200 open streams: twice the 192 MiB measured (Node 20, of
 * which about 155 MiB is the idle daemon), room for another machine's GC timing, while buffering whole
 * streams or keeping ~60 KB per served request would cross it within the minute.
 */
const PEAK_CAP = 384 * MiB;

let home: string;
let provider: FakeProvider;
let daemon: DaemonProcess | undefined;

beforeAll(async () => {
  const pki = await createTestPki();
  provider = await startFakeProvider(pki);
  provider.streamEvents = EVENTS;
  provider.eventDelayMs = EVENT_DELAY_MS;
  home = await mkdtemp(path.join(os.tmpdir(), 'lg-soak-'));
  const upstreamCaFile = path.join(home, 'fake-provider-ca.pem');
  await writeFile(upstreamCaFile, pki.caPem);
  await writeFile(
    path.join(home, 'config.json'),
    JSON.stringify({ proxy: { port: 0 }, upstreams: { 'api.openai.com': provider.origin }, upstreamCaFile }),
  );
  daemon = await startDaemonProcess(home);
});

afterAll(async () => {
  if (daemon !== undefined) {
    await daemon.agent.close().catch(() => undefined);
    daemon.child.kill('SIGKILL');
    await exited(daemon.child);
  }
  await provider?.close();
  await rm(home, { recursive: true, force: true });
});

/** The process's resident set in bytes, from /proc/<pid>/status. */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (kb === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb[1]) * 1024;
}

/** One streamed request; returns its request id once the whole stream was read, or what was wrong. */
async function stream(d: DaemonProcess, n: number): Promise<{ id: string } | { failure: string }> {
  try {
    const res = await undiciFetch(CHAT_URL, {
      method: 'POST',
      headers: { ...CHAT_HEADERS },
      body: JSON.stringify({
        model: 'gpt-4o',
        stream: true,
        messages: [{ role: 'user', content: `request ${n}, key ${AWS_KEY}` }],
      }),
      dispatcher: d.agent,
    });
    const text = await res.text();
    if (res.status !== 200) return { failure: `request ${n}: status ${res.status}` };
    // Whole: every event, then the end marker.
    for (let e = 0; e < EVENTS; e++)
      if (!text.includes(`part${e} `)) return { failure: `request ${n}: event ${e} missing` };
    if (!text.includes('data: [DONE]')) return { failure: `request ${n}: no [DONE]` };
    return { id: res.headers.get('x-llmgate-request-id')! };
  } catch (err) {
    return { failure: `request ${n}: ${(err as Error).message}` };
  }
}

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

describe('a minute of 200 concurrent slow streams', () => {
  it('delivers every stream whole, audits each request once, forwards no key, and keeps memory bounded', async () => {
    const d = daemon!;
    const pid = d.child.pid!;
    const samples: { at: number; rss: number; upstreamOpen: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      void rssOf(pid).then(
        (rss) => samples.push({ at: Date.now() - started, rss, upstreamOpen: provider.streamsOpen }),
        () => undefined,
      );
    }, SAMPLE_MS);

    const ids: string[] = [];
    const failures: string[] = [];
    let next = 0;
    // Each worker keeps one stream open until the minute is up: 200 workers, 200 streams at all times.
    const worker = async (): Promise<void> => {
      while (Date.now() - started < SOAK_MS) {
        const result = await stream(d, next++);
        if ('id' in result) ids.push(result.id);
        else failures.push(result.failure);
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENT }, worker));
    } finally {
      clearInterval(sampler);
    }
    const elapsed = Date.now() - started;

    const first = samples.filter((s) => s.at < WINDOW_MS);
    const last = samples.filter((s) => s.at >= SOAK_MS - WINDOW_MS && s.at < SOAK_MS);
    const peakOf = (xs: typeof samples): number => Math.max(...xs.map((s) => s.rss));
    const peak = peakOf(samples);
    const upstreamPeak = Math.max(...samples.map((s) => s.upstreamOpen));
    console.log(
      [
        `soak: ${ids.length} streams completed in ${(elapsed / 1000).toFixed(1)} s ` +
          `(${CONCURRENT} concurrent, ${EVENTS} events ${EVENT_DELAY_MS} ms apart), ${failures.length} failed`,
        `soak: streams open at the provider, peak ${upstreamPeak}`,
        `soak: daemon RSS peak ${mib(peak)}, first 20 s max ${mib(peakOf(first))}, ` +
          `last 20 s max ${mib(peakOf(last))}, at start ${mib(samples[0]!.rss)}, ${samples.length} samples`,
        `soak: RSS max per 10 s: ${Array.from({ length: Math.ceil(SOAK_MS / 10_000) }, (_, k) =>
          mib(peakOf(samples.filter((x) => x.at >= k * 10_000 && x.at < (k + 1) * 10_000))),
        ).join(', ')}`,
      ].join('\n'),
    );

    expect(failures.slice(0, 10)).toEqual([]);
    // The streams reached the provider side by side, not queued inside the daemon behind a connection cap
    // (with undici's former cap of 64 per origin, this peak was 64 and only 1,288 streams completed).
    expect(upstreamPeak).toBeGreaterThanOrEqual(CONCURRENT * 0.95);
    // A stream lasts about 3 s, so 200 at a time for a minute is thousands of requests.
    expect(ids.length).toBeGreaterThan(CONCURRENT * 10);
    expect(new Set(ids).size).toBe(ids.length);
    expect(provider.requests).toHaveLength(ids.length);
    expectNoSecretForwarded({ provider });
    for (const r of provider.requests) expect(r.body.toString('utf8')).toContain('[REDACTED:');

    expect(first.length).toBeGreaterThan(WINDOW_MS / SAMPLE_MS / 2);
    expect(last.length).toBeGreaterThan(WINDOW_MS / SAMPLE_MS / 2);
    expect(peakOf(last)).toBeLessThanOrEqual(peakOf(first) + GROWTH_MARGIN);
    expect(peak).toBeLessThan(PEAK_CAP);

    // A clean stop flushes the audit log; then read it as it is on disk.
    await d.agent.close();
    d.child.kill('SIGTERM');
    await exited(d.child);
    expect(d.child.exitCode).toBe(0);
    daemon = undefined;
    const reader = openAuditReader(statePaths(home).auditDb);
    const perId = new Map<string, number>();
    try {
      for (const event of reader.events()) perId.set(event.id, (perId.get(event.id) ?? 0) + 1);
    } finally {
      reader.close();
    }
    expect(ids.filter((id) => perId.get(id) !== 1)).toEqual([]);
    expect(perId.size).toBe(ids.length);
  }, 120_000);
});
