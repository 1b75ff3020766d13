/**
 * End-to-end added latency of llmgate against a direct connection, on one loopback upstream over TLS.
 * Client, daemon and fake upstream each run in their own process, as they do for users, so the direct
 * path crosses one process boundary each way and the proxied path two. Sizes from env: BENCH_REQUESTS
 * (default 3000), BENCH_WARMUP (default 1000; the daemon is measured JIT-warm, as it runs for days);
 * BENCH_CASE picks cases by name; BENCH_DAEMON_NODE_ARGS passes flags to the daemon (e.g. --cpu-prof);
 * BENCH_PII_ACTION sets the daemon's action for PII (default: the embedded default, `pseudonymize`, so the
 * e-mail address in the bodies is pseudonymized and streamed answers pass through the restore stage;
 * `redact` measures the same requests without restoring).
 * BENCH_AUDIT_FSYNC=1 runs the daemon with `audit.fsyncEachCommit`.
 *
 *   npm run bench
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { createTestPki } from '../../test/support/test-pki.js';

// The daemon is long-running: measure it JIT-warm (V8 optimises hot functions after some thousand calls).
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A chat request of about `bytes` bytes whose text carries an AWS key and an email to redact. */
export function chatBody(bytes: number, stream: boolean): string {
  const filler = 'The deployment log shows the worker restarted after the health check timed out. ';
  const secret = 'Use key AKIAZ7QW3RT5YU2IO4PD and mail ops.lead@example.org about it. ';
  let text = secret;
  while (text.length < bytes - 200) text += filler;
  return JSON.stringify({
    model: 'gpt-4o-mini',
    stream,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: text },
    ],
  });
}

/** The fake provider runs in its own process, as a real provider does; it prints its port. */
export async function startUpstream(
  dir: string,
  pki: { certPem: string; keyPem: string },
): Promise<{ port: number; close(): void }> {
  const certFile = path.join(dir, 'upstream-cert.pem');
  const keyFile = path.join(dir, 'upstream-key.pem');
  await writeFile(certFile, pki.certPem);
  await writeFile(keyFile, pki.keyPem, { mode: 0o600 });
  const child = spawn(process.execPath, [path.join(repo, 'bench/proxy/upstream.mjs'), certFile, keyFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (c: Buffer) => resolve(Number(c.toString().trim())));
    child.once('exit', (code) => reject(new Error(`upstream exited ${code}`)));
  });
  return { port, close: () => child.kill('SIGTERM') };
}

export async function startDaemon(
  home: string,
): Promise<{ child: ChildProcess; proxyUrl: string; auth: string; caPem: string }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_DAEMON_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      path.join(repo, 'bin/llmgate.js'),
      'start',
      '--foreground',
      '--port',
      '0',
    ],
    {
      env: { ...process.env, LLMGATE_HOME: home },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const proxyUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /proxy (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`daemon exited ${code}`)));
  });
  const { ControlClient } = await import('../../core/control/index.js');
  const env = await new ControlClient(path.join(home, 'control.sock')).env();
  const url = new URL(env.proxyUrlWithCredentials);
  return {
    child,
    proxyUrl,
    auth: `Basic ${Buffer.from(`${url.username}:${decodeURIComponent(url.password)}`).toString('base64')}`,
    caPem: await readFile(env.caCertPath, 'utf8'),
  };
}

export interface Sample {
  total: number[];
  ttfb: number[];
}

export async function measure(
  dispatcher: Dispatcher,
  origin: string,
  body: string,
  n: number,
): Promise<Sample> {
  const total: number[] = [];
  const ttfb: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await request(`${origin}/v1/chat/completions`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
      body,
    });
    let first = 0;
    for await (const chunk of res.body) {
      if (first === 0 && (chunk as Buffer).length > 0) first = performance.now();
    }
    const t1 = performance.now();
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    total.push(t1 - t0);
    ttfb.push(first - t0);
  }
  return { total, ttfb };
}

export function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const fmt = (ms: number): string => ms.toFixed(3);

export async function runLatencyBench(): Promise<void> {
  const pki = await createTestPki();
  const home = await mkdtemp(path.join(os.tmpdir(), 'lg-bench-'));
  const upstream = await startUpstream(home, pki);
  const caFile = path.join(home, 'upstream-ca.pem');
  await writeFile(caFile, pki.caPem);
  await writeFile(
    path.join(home, 'config.json'),
    JSON.stringify({
      upstreams: { 'api.openai.com': `https://127.0.0.1:${upstream.port}` },
      upstreamCaFile: caFile,
      ...(process.env.BENCH_PII_ACTION === undefined
        ? {}
        : { detect: { actions: { categories: { pii: process.env.BENCH_PII_ACTION } } } }),
      // BENCH_AUDIT_FSYNC=1: each response waits for its audit event's fsync (audit.fsyncEachCommit).
      ...(process.env.BENCH_AUDIT_FSYNC === '1' ? { audit: { fsyncEachCommit: true } } : {}),
    }),
  );
  const daemon = await startDaemon(home);
  const direct = new Agent({ connect: { ca: pki.caPem }, keepAliveTimeout: 60_000 });
  const proxied = new ProxyAgent({
    uri: daemon.proxyUrl,
    token: daemon.auth,
    requestTls: { ca: daemon.caPem },
    keepAliveTimeout: 60_000,
  });
  const directOrigin = `https://127.0.0.1:${upstream.port}`;
  const proxiedOrigin = 'https://api.openai.com';

  const small = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'user', content: 'Summarise the release notes of version 2.4 in three bullet points.' },
    ],
  });
  const cases = [
    { name: 'chat 150 B, nothing to redact', body: small, n: REQUESTS, stream: false },
    { name: 'chat 8 KB, 2 redactions', body: chatBody(8 * 1024, false), n: REQUESTS, stream: false },
    {
      name: 'chat 200 KB, 2 redactions',
      body: chatBody(200 * 1024, false),
      n: Math.max(100, Math.floor(REQUESTS / 5)),
      stream: false,
    },
    { name: 'stream 8 KB, first byte', body: chatBody(8 * 1024, true), n: REQUESTS, stream: true },
  ];
  const only = process.env.BENCH_CASE;
  const selected = only === undefined ? cases : cases.filter((c) => c.name.includes(only));
  console.log(
    `llmgate proxy latency (node ${process.version}, ${os.cpus().length} cores; ${REQUESTS} requests per case)`,
  );
  console.log('| case | direct p50 | llmgate p50 | added p50 | direct p99 | llmgate p99 | added p99 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  try {
    for (const c of selected) {
      // Interleave warm-up, then alternate direct and proxied rounds so drift hits both equally.
      await measure(direct, directOrigin, c.body, WARMUP);
      await measure(proxied, proxiedOrigin, c.body, WARMUP);
      const d: Sample = { total: [], ttfb: [] };
      const p: Sample = { total: [], ttfb: [] };
      const rounds = 5;
      for (let r = 0; r < rounds; r++) {
        const dr = await measure(direct, directOrigin, c.body, Math.ceil(c.n / rounds));
        const pr = await measure(proxied, proxiedOrigin, c.body, Math.ceil(c.n / rounds));
        d.total.push(...dr.total);
        d.ttfb.push(...dr.ttfb);
        p.total.push(...pr.total);
        p.ttfb.push(...pr.ttfb);
      }
      const pick = c.stream ? 'ttfb' : 'total';
      const [d50, p50, d99, p99] = [pct(d[pick], 50), pct(p[pick], 50), pct(d[pick], 99), pct(p[pick], 99)];
      console.log(
        `| ${c.name} | ${fmt(d50)} ms | ${fmt(p50)} ms | **${fmt(p50 - d50)} ms** | ${fmt(d99)} ms | ${fmt(p99)} ms | ${fmt(p99 - d99)} ms |`,
      );
    }
  } finally {
    await direct.close();
    await proxied.close();
    daemon.child.kill('SIGTERM');
    await new Promise((r) => daemon.child.once('exit', r));
    upstream.close();
    await rm(home, { recursive: true, force: true });
  }
}
