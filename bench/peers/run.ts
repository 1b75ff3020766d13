/**
 * llmgate beside what a user would otherwise pick, in one run on one loopback fake provider over TLS
 * (bench/proxy/upstream.mjs, its own process):
 * - direct: the client talks to the provider (the floor);
 * - llmgate (HTTPS_PROXY): CONNECT, TLS terminated, body scanned and redacted, audited;
 * - llmgate (base URL): plain HTTP to `/t/<credential>/openai/...`, the same pipeline;
 * - mitmdump (Debian's mitmproxy) with bench/peers/mitm_redact.py: regex redaction of AWS keys and
 *   e-mail addresses, the client using it as HTTPS_PROXY, like llmgate;
 * - Portkey's gateway (`@portkey-ai/gateway` from npm, installed into a cache directory on first use), in
 *   base-URL mode (`x-portkey-provider: openai`, `x-portkey-custom-host`). It has no local redaction, so
 *   it does less work than the others.
 * Every path gets the same requests: 8 KB and 200 KB chat requests carrying an AWS key and an e-mail
 * address, an 8 KB streamed request (time to first byte, and first to last event), and requests per second
 * at concurrency 1, 10 and 100; then each server's peak resident memory (VmHWM).
 *
 * Sizes from env: BENCH_REQUESTS (default 1000 per path and case), BENCH_WARMUP (default 500),
 * BENCH_SECONDS (default 3 per concurrency level), BENCH_PEERS (comma-separated names to run), PORTKEY_DIR
 * (where the gateway is installed; default $TMPDIR/llmgate-bench-peers), PORTKEY_VERSION (default 1.15.2).
 *
 *   npm run bench:peers
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { createTestPki } from '../../test/support/test-pki.js';
import { chatBody, pct, startDaemon, startUpstream } from '../proxy/latency.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const PORTKEY_VERSION = process.env.PORTKEY_VERSION ?? '1.15.2';
const PORTKEY_DIR = process.env.PORTKEY_DIR ?? path.join(os.tmpdir(), 'llmgate-bench-peers');
const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

/** One way to reach the provider. */
interface Path {
  readonly name: string;
  readonly dispatcher: Dispatcher;
  /** The URL of the chat completions endpoint on this path. */
  readonly url: string;
  readonly headers: Record<string, string>;
  /** The server process in the middle (none for direct). */
  readonly pid: number | undefined;
  /** Whether this path redacts the secrets in the requests (Portkey's open-source gateway does not). */
  readonly redacts: boolean;
  close(): Promise<void>;
}

interface Timing {
  total: number;
  ttfb: number;
  /** First chunk to end of body. */
  rest: number;
}

async function once(p: Path, body: string): Promise<Timing> {
  const t0 = performance.now();
  const res = await request(p.url, {
    method: 'POST',
    dispatcher: p.dispatcher,
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', ...p.headers },
    body,
  });
  let first = 0;
  for await (const chunk of res.body)
    if (first === 0 && (chunk as Buffer).length > 0) first = performance.now();
  const t1 = performance.now();
  if (res.statusCode !== 200) throw new Error(`${p.name}: status ${res.statusCode}`);
  return { total: t1 - t0, ttfb: first - t0, rest: t1 - first };
}

async function sequential(p: Path, body: string, n: number): Promise<Timing[]> {
  const out: Timing[] = [];
  for (let i = 0; i < n; i++) out.push(await once(p, body));
  return out;
}

/** Requests completed per second with `concurrency` clients in a loop for `seconds`. */
async function throughput(p: Path, body: string, concurrency: number, seconds: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      await once(p, body);
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - t0) / 1000);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Peak resident set of a process, from /proc (Linux), in MiB. */
async function peakRssMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m === null ? undefined : Number(m[1]) / 1024;
  } catch {
    return undefined;
  }
}

async function startMitmdump(dir: string, upstreamPort: number): Promise<Path> {
  const port = await freePort();
  const confdir = path.join(dir, 'mitmproxy');
  await mkdir(confdir, { recursive: true });
  const child = spawn(
    'mitmdump',
    [
      '--quiet',
      '--listen-host',
      '127.0.0.1',
      '--listen-port',
      String(port),
      '--set',
      `confdir=${confdir}`,
      // Connect upstream only once the request is known, so the addon can route it to the fake provider
      // (what llmgate's `upstreams` does); the provider's test certificate is not checked (less work).
      '--set',
      'connection_strategy=lazy',
      '--set',
      'ssl_insecure=true',
      '--set',
      `route_to=127.0.0.1:${upstreamPort}`,
      '-s',
      path.join(here, 'mitm_redact.py'),
      '-s',
      path.join(here, 'mitm_route.py'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port, child, 'mitmdump');
  const ca = await readFile(path.join(confdir, 'mitmproxy-ca-cert.pem'), 'utf8');
  const dispatcher = new ProxyAgent({
    uri: `http://127.0.0.1:${port}`,
    requestTls: { ca },
    keepAliveTimeout: 60_000,
  });
  return {
    name: 'mitmdump',
    dispatcher,
    url: 'https://api.openai.com/v1/chat/completions',
    headers: {},
    pid: child.pid,
    redacts: true,
    close: async () => {
      await dispatcher.close();
      await stop(child);
    },
  };
}

/** Installs the pinned gateway into the cache directory once; returns its entry point. */
async function portkeyEntry(): Promise<string> {
  const entry = path.join(PORTKEY_DIR, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  const pkg = path.join(PORTKEY_DIR, 'node_modules/@portkey-ai/gateway/package.json');
  const installed = existsSync(pkg)
    ? (JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version
    : undefined;
  if (installed !== PORTKEY_VERSION) {
    await mkdir(PORTKEY_DIR, { recursive: true });
    console.error(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${PORTKEY_DIR}`);
    await run('npm', [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefix',
      PORTKEY_DIR,
      `@portkey-ai/gateway@${PORTKEY_VERSION}`,
    ]);
  }
  return entry;
}

async function startPortkey(caFile: string, upstreamPort: number): Promise<Path> {
  const entry = await portkeyEntry();
  const port = await freePort();
  const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], {
    // The gateway's fetch must trust the fake provider's test CA.
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, child, 'portkey gateway');
  const dispatcher = new Agent({ keepAliveTimeout: 60_000 });
  return {
    name: 'Portkey gateway',
    dispatcher,
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    headers: {
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `https://127.0.0.1:${upstreamPort}/v1`,
    },
    pid: child.pid,
    redacts: false,
    close: async () => {
      await dispatcher.close();
      await stop(child);
    },
  };
}

const fmt = (ms: number): string => ms.toFixed(2);
const ratio = (a: number, b: number): string => (b <= 0 ? 'n/a' : `${(a / b).toFixed(1)}x`);

export async function runPeersBench(): Promise<void> {
  const pki = await createTestPki();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lg-peers-'));
  const upstream = await startUpstream(dir, pki);
  const caFile = path.join(dir, 'upstream-ca.pem');
  await writeFile(caFile, pki.caPem);
  const home = path.join(dir, 'llmgate');
  await mkdir(home, { recursive: true, mode: 0o700 });
  await writeFile(
    path.join(home, 'config.json'),
    JSON.stringify({
      upstreams: { 'api.openai.com': `https://127.0.0.1:${upstream.port}` },
      upstreamCaFile: caFile,
      // Redact e-mail addresses, as the mitmproxy addon does (the embedded default pseudonymizes them).
      detect: { actions: { categories: { pii: 'redact' } } },
    }),
  );
  const wanted = process.env.BENCH_PEERS?.split(',').map((s) => s.trim().toLowerCase());
  const want = (name: string): boolean =>
    wanted === undefined || wanted.some((w) => name.toLowerCase().includes(w));

  const paths: Path[] = [];
  const daemon = await startDaemon(home);
  const { ControlClient } = await import('../../core/control/index.js');
  const env = await new ControlClient(path.join(home, 'control.sock')).env();
  const direct = new Agent({ connect: { ca: pki.caPem }, keepAliveTimeout: 60_000 });
  paths.push({
    name: 'direct',
    dispatcher: direct,
    url: `https://127.0.0.1:${upstream.port}/v1/chat/completions`,
    headers: {},
    pid: undefined,
    redacts: false,
    close: () => direct.close(),
  });
  const proxied = new ProxyAgent({
    uri: daemon.proxyUrl,
    token: daemon.auth,
    requestTls: { ca: daemon.caPem },
    keepAliveTimeout: 60_000,
  });
  if (want('llmgate (HTTPS_PROXY)'))
    paths.push({
      name: 'llmgate (HTTPS_PROXY)',
      dispatcher: proxied,
      url: 'https://api.openai.com/v1/chat/completions',
      headers: {},
      pid: daemon.child.pid,
      redacts: true,
      close: () => proxied.close(),
    });
  const baseAgent = new Agent({ keepAliveTimeout: 60_000 });
  if (want('llmgate (base URL)'))
    paths.push({
      name: 'llmgate (base URL)',
      dispatcher: baseAgent,
      url: `${env.baseUrls.openai}/chat/completions`.replace('/v1/v1/', '/v1/'),
      headers: {},
      pid: daemon.child.pid,
      redacts: true,
      close: () => baseAgent.close(),
    });
  try {
    if (want('mitmdump')) paths.push(await startMitmdump(dir, upstream.port));
    if (want('portkey')) paths.push(await startPortkey(caFile, upstream.port));

    console.log(
      `llmgate and peers (node ${process.version}, ${os.cpus().length} cores; ${REQUESTS} requests per path and case after ${WARMUP} warm-up; ${SECONDS} s per concurrency level)`,
    );
    // Each path must carry a request before it is measured.
    for (const p of paths) {
      const body = chatBody(8 * 1024, false);
      const res = await request(p.url, {
        method: 'POST',
        dispatcher: p.dispatcher,
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', ...p.headers },
        body,
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${p.name}: status ${res.statusCode}`);
    }

    const cases = [
      { name: 'chat 8 KB, 2 secrets', body: chatBody(8 * 1024, false), n: REQUESTS, pick: 'total' as const },
      {
        name: 'chat 200 KB, 2 secrets',
        body: chatBody(200 * 1024, false),
        n: Math.max(100, Math.floor(REQUESTS / 5)),
        pick: 'total' as const,
      },
      { name: 'stream 8 KB, first byte', body: chatBody(8 * 1024, true), n: REQUESTS, pick: 'ttfb' as const },
      {
        name: 'stream 8 KB, first to last event',
        body: chatBody(8 * 1024, true),
        n: REQUESTS,
        pick: 'rest' as const,
      },
    ];
    const results = new Map<string, Map<string, { p50: number; p99: number }>>();
    for (const c of cases) {
      const samples = new Map<string, number[]>();
      // A path that cannot carry this case (an error answer) is reported as failed, not measured.
      const able: Path[] = [];
      for (const p of paths) {
        try {
          await sequential(p, c.body, Math.min(WARMUP, c.n));
          able.push(p);
          samples.set(p.name, []);
        } catch (err) {
          console.error(`${p.name} failed "${c.name}": ${(err as Error).message}`);
        }
      }
      // Alternate the paths in rounds, so drift on a shared machine hits them all alike.
      const rounds = 5;
      for (let r = 0; r < rounds; r++) {
        for (const p of able) {
          const got = await sequential(p, c.body, Math.ceil(c.n / rounds));
          samples.get(p.name)!.push(...got.map((t) => t[c.pick]));
        }
      }
      results.set(
        c.name,
        new Map(
          able.map((p) => [
            p.name,
            { p50: pct(samples.get(p.name)!, 50), p99: pct(samples.get(p.name)!, 99) },
          ]),
        ),
      );
    }

    const names = paths.map((p) => p.name);
    const floor = (c: string): { p50: number; p99: number } => results.get(c)!.get('direct')!;
    console.log('\nLatency (ms; "added" is the path minus direct at the same percentile):\n');
    console.log(`| case | ${names.map((n) => `${n} p50 / p99`).join(' | ')} |`);
    console.log(`|---|${names.map(() => '---:').join('|')}|`);
    for (const c of cases) {
      const row = names.map((n) => {
        const r = results.get(c.name)!.get(n);
        return r === undefined ? 'failed' : `${fmt(r.p50)} / ${fmt(r.p99)}`;
      });
      console.log(`| ${c.name} | ${row.join(' | ')} |`);
    }
    console.log('\nAdded latency over direct (ms, p50 / p99):\n');
    const middle = names.filter((n) => n !== 'direct');
    console.log(`| case | ${middle.join(' | ')} |`);
    console.log(`|---|${middle.map(() => '---:').join('|')}|`);
    for (const c of cases) {
      const f = floor(c.name);
      const row = middle.map((n) => {
        const r = results.get(c.name)!.get(n);
        return r === undefined ? 'failed' : `${fmt(r.p50 - f.p50)} / ${fmt(r.p99 - f.p99)}`;
      });
      console.log(`| ${c.name} | ${row.join(' | ')} |`);
    }
    const llmgateName = middle.find((n) => n.startsWith('llmgate (HTTPS'));
    if (llmgateName !== undefined) {
      console.log(`\nRatio of added p50: peer / ${llmgateName} (higher is better for llmgate):\n`);
      const peers = middle.filter((n) => n !== llmgateName);
      console.log(`| case | ${peers.join(' | ')} |`);
      console.log(`|---|${peers.map(() => '---:').join('|')}|`);
      for (const c of cases) {
        const f = floor(c.name).p50;
        const ours = results.get(c.name)!.get(llmgateName)!.p50 - f;
        const row = peers.map((n) => {
          const r = results.get(c.name)!.get(n);
          return r === undefined ? 'failed' : ratio(r.p50 - f, ours);
        });
        console.log(`| ${c.name} | ${row.join(' | ')} |`);
      }
    }

    console.log('\nRequests per second, chat 8 KB with 2 secrets (higher is better):\n');
    console.log(`| concurrency | ${names.join(' | ')} |`);
    console.log(`|---:|${names.map(() => '---:').join('|')}|`);
    const body = chatBody(8 * 1024, false);
    for (const concurrency of [1, 10, 100]) {
      const row: string[] = [];
      for (const p of paths) {
        try {
          row.push((await throughput(p, body, concurrency, SECONDS)).toFixed(0));
        } catch (err) {
          console.error(`${p.name} failed at concurrency ${concurrency}: ${(err as Error).message}`);
          row.push('failed');
        }
      }
      console.log(`| ${concurrency} | ${row.join(' | ')} |`);
    }

    console.log('\nPeak resident memory of the process in the middle (VmHWM, MiB):\n');
    console.log(`| ${middle.join(' | ')} |`);
    console.log(`|${middle.map(() => '---:').join('|')}|`);
    const rss: string[] = [];
    for (const n of middle) {
      const pid = paths.find((p) => p.name === n)!.pid;
      const mib = pid === undefined ? undefined : await peakRssMiB(pid);
      rss.push(mib === undefined ? 'n/a' : mib.toFixed(0));
    }
    console.log(`| ${rss.join(' | ')} |`);
  } finally {
    for (const p of paths) await p.close().catch(() => {});
    await stop(daemon.child);
    upstream.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await runPeersBench();
