/**
 * The built `llmgate` command as a user runs it: `node bin/llmgate.js ...` in child processes, with
 * `LLMGATE_HOME` a temporary directory and a background daemon started by `llmgate start`. The daemon
 * routes api.openai.com to a fake provider over TLS, so a request made with the environment that
 * `llmgate env` prints goes end to end.
 *
 * The tests of the first `describe` are one session, in order: start, use, stop.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.js';
import { createTestPki } from '../support/test-pki.js';
import { AWS_KEY, EMAIL } from '../support/secrets.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'llmgate.js');
const BUILT = path.join(ROOT, 'dist', 'cli', 'main.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A minimal environment: nothing from the developer's shell (proxies, CA variables) leaks in. */
function baseEnv(home: string, fakeHome: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: fakeHome, LLMGATE_HOME: home, LANG: 'C.UTF-8' };
}

function spawnRun(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  timeoutMs = 30_000,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal === null ? -1 : 128),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(input ?? '');
  });
}

/** `llmgate <args>` with `LLMGATE_HOME=home`. */
function llmgate(
  home: string,
  fakeHome: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return spawnRun(
    process.execPath,
    [BIN, ...args],
    { ...baseEnv(home, fakeHome), ...options.env },
    options.input,
  );
}

/** A shell script with `llmgate` on hand as a function that runs the built CLI. */
function sh(home: string, fakeHome: string, script: string, input?: string): Promise<Run> {
  const prelude = `llmgate() { ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"; }\n`;
  return spawnRun('sh', ['-c', prelude + script], baseEnv(home, fakeHome), input);
}

const PIDS = new Set<number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a daemon this suite started: `llmgate stop`, then its own pid if it is still there. */
async function stopDaemon(home: string, fakeHome: string, pid: number | undefined): Promise<void> {
  await llmgate(home, fakeHome, ['stop']).catch(() => undefined);
  if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
}

beforeAll(() => {
  if (!existsSync(BUILT)) {
    throw new Error(
      `${path.relative(ROOT, BUILT)} is missing: build the CLI first with \`npm run build\` (\`npm test\` does it).`,
    );
  }
});

describe('an llmgate session: start, status, env, a proxied request, audit, doctor, stop', () => {
  let home: string;
  let fakeHome: string;
  let provider: FakeProvider;
  let started: Run;
  let pid: number | undefined;
  let proxyUrl: string;

  const cli = (
    args: readonly string[],
    options?: { input?: string; env?: NodeJS.ProcessEnv },
  ): Promise<Run> => llmgate(home, fakeHome, args, options);

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lg-cli-'));
    fakeHome = await mkdtemp(path.join(os.tmpdir(), 'lg-cli-user-'));
    const pki = await createTestPki();
    provider = await startFakeProvider(pki);
    const upstreamCaFile = path.join(fakeHome, 'fake-provider-ca.pem');
    await writeFile(upstreamCaFile, pki.caPem);
    await writeFile(
      path.join(home, 'config.json'),
      JSON.stringify({ upstreams: { 'api.openai.com': provider.origin }, upstreamCaFile }),
    );
    started = await cli(['start', '--port', '0']);
    const match = /pid (\d+)\): proxy (http:\/\/127\.0\.0\.1:\d+)/.exec(started.stdout);
    if (match !== null) {
      pid = Number(match[1]);
      PIDS.add(pid);
      proxyUrl = match[2]!;
    }
  }, 60_000);

  afterAll(async () => {
    if (home !== undefined) await stopDaemon(home, fakeHome, pid);
    await provider?.close();
    if (home !== undefined) await rm(home, { recursive: true, force: true });
    if (fakeHome !== undefined) await rm(fakeHome, { recursive: true, force: true });
  }, 30_000);

  it('start --port 0 starts a background daemon and prints its proxy URL', () => {
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/^llmgate started \(pid \d+\): proxy http:\/\/127\.0\.0\.1:\d+\n/);
    expect(started.stdout).toContain('eval "$(llmgate env)"');
    expect(pid).toBeDefined();
    expect(pid).not.toBe(process.pid);
    expect(alive(pid!)).toBe(true);
    expect(Number(new URL(proxyUrl).port)).toBeGreaterThan(0);
  });

  it('a second start says it is already running, with the same pid and URL', async () => {
    const again = await cli(['start', '--port', '0']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`llmgate is already running (pid ${pid}): proxy ${proxyUrl}\n`);
  });

  it('status --json prints running, proxy.url, uptimeSeconds and the five counters', async () => {
    const res = await cli(['status', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const status = JSON.parse(res.stdout) as {
      running: boolean;
      pid: number;
      proxy: { url: string; port: number };
      uptimeSeconds: number;
      counters: Record<string, number>;
    };
    expect(status.running).toBe(true);
    expect(status.pid).toBe(pid);
    expect(status.proxy.url).toBe(proxyUrl);
    expect(status.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Object.keys(status.counters).sort()).toEqual([
      'blocks',
      'errors',
      'redactions',
      'requests',
      'tunnels',
    ]);
    for (const n of Object.values(status.counters)) expect(n).toBe(0);
  });

  it('status prints a text view with state, proxy URL and counters', async () => {
    const res = await cli(['status']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^state\\s+running \\(pid ${pid},`, 'm'));
    expect(res.stdout).toMatch(new RegExp(`^proxy\\s+${proxyUrl.replace(/\./g, '\\.')}$`, 'm'));
    expect(res.stdout).toMatch(/^requests\s+0 \(redactions 0, blocks 0, errors 0\)$/m);
    expect(res.stdout).toMatch(/^tunnels\s+0$/m);
  });

  it('env prints sh lines that, evaluated, set the proxy with credentials, NO_PROXY and the CA variables', async () => {
    const res = await sh(
      home,
      fakeHome,
      'eval "$(llmgate env)" && printf "%s\\n" "$HTTPS_PROXY" "$https_proxy" "$NO_PROXY" "$NODE_EXTRA_CA_CERTS" "$SSL_CERT_FILE" "$REQUESTS_CA_BUNDLE" "$CURL_CA_BUNDLE"',
    );
    expect(res.code, res.stderr).toBe(0);
    const [httpsProxy, lower, noProxy, nodeCa, sslCertFile, requestsBundle, curlBundle] =
      res.stdout.split('\n');
    const url = new URL(httpsProxy!);
    expect(`${url.protocol}//${url.host}`).toBe(proxyUrl);
    expect(url.username).toBe('llmgate');
    expect(url.password.length).toBeGreaterThanOrEqual(16);
    expect(lower).toBe(httpsProxy);
    expect(noProxy!.split(',')).toEqual(expect.arrayContaining(['localhost', '127.0.0.1']));
    expect(nodeCa).toBe(path.join(home, 'ca', 'llmgate-ca.pem'));
    const bundle = path.join(home, 'ca', 'trust-bundle.pem');
    expect([sslCertFile, requestsBundle, curlBundle]).toEqual([bundle, bundle, bundle]);
    // The bundle is the system roots plus the llmgate CA.
    const bundlePem = await readFile(bundle, 'utf8');
    const caPem = (await readFile(nodeCa!, 'utf8')).trim();
    expect(bundlePem).toContain(caPem);
    expect(bundlePem.match(/-----BEGIN CERTIFICATE-----/g)!.length).toBeGreaterThan(1);
  });

  it('env --shell fish prints set -gx lines', async () => {
    const res = await cli(['env', '--shell', 'fish']);
    expect(res.code, res.stderr).toBe(0);
    for (const name of [
      'HTTPS_PROXY',
      'https_proxy',
      'NO_PROXY',
      'NODE_EXTRA_CA_CERTS',
      'SSL_CERT_FILE',
      'REQUESTS_CA_BUNDLE',
      'CURL_CA_BUNDLE',
    ]) {
      expect(res.stdout).toMatch(new RegExp(`^set -gx ${name} '[^']+';$`, 'm'));
    }
    expect(res.stdout).not.toMatch(/^export /m);
  });

  it('env --shell powershell prints $env: lines', async () => {
    const res = await cli(['env', '--shell', 'powershell']);
    expect(res.code, res.stderr).toBe(0);
    for (const name of [
      'HTTPS_PROXY',
      'https_proxy',
      'NO_PROXY',
      'NODE_EXTRA_CA_CERTS',
      'SSL_CERT_FILE',
      'REQUESTS_CA_BUNDLE',
      'CURL_CA_BUNDLE',
    ]) {
      expect(res.stdout).toMatch(new RegExp(`^\\$env:${name} = '[^']+'$`, 'm'));
    }
  });

  it('env rejects an unknown shell with exit 2', async () => {
    const res = await cli(['env', '--shell', 'tcsh']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('tcsh');
  });

  it('env --base-urls adds OPENAI_BASE_URL and ANTHROPIC_BASE_URL carrying the path token', async () => {
    const res = await sh(
      home,
      fakeHome,
      'eval "$(llmgate env --base-urls)" && printf "%s\\n" "$OPENAI_BASE_URL" "$ANTHROPIC_BASE_URL" "$HTTPS_PROXY"',
    );
    expect(res.code, res.stderr).toBe(0);
    const [openai, anthropic, httpsProxy] = res.stdout.split('\n');
    const token = new URL(httpsProxy!).password;
    expect(openai).toBe(`${proxyUrl}/t/${token}/openai/v1`);
    expect(anthropic).toBe(`${proxyUrl}/t/${token}/anthropic`);
  });

  it('ca path prints the CA certificate path and ca export prints that certificate as PEM', async () => {
    const [p, exported] = await Promise.all([cli(['ca', 'path']), cli(['ca', 'export'])]);
    expect(p.code).toBe(0);
    expect(p.stdout).toBe(`${path.join(home, 'ca', 'llmgate-ca.pem')}\n`);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(await readFile(p.stdout.trim(), 'utf8'));
    expect(exported.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    expect(new X509Certificate(exported.stdout).ca).toBe(true);
  });

  it('a request made with the environment env prints is redacted, and audit export shows it as JSON Lines', async () => {
    provider.requests = [];
    const body = JSON.stringify({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: `key ${AWS_KEY} mail ${EMAIL}` }],
    });
    const res = await sh(
      home,
      fakeHome,
      'eval "$(llmgate env)" && curl -sS --max-time 15 -H "content-type: application/json" -H "authorization: Bearer sk-test-cli" --data-binary @- https://api.openai.com/v1/chat/completions',
      body,
    );
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ choices: [{ message: { content: 'hello from fake' } }] });
    expect(provider.requests).toHaveLength(1);
    const arrived = provider.requests[0]!.body.toString('utf8');
    expect(arrived).not.toContain(AWS_KEY);
    expect(arrived).not.toContain(EMAIL);
    expect(arrived).toContain('[REDACTED:aws-access-key-id]');

    // The audit event is written off the request path: give it a moment.
    let lines: string[] = [];
    for (let i = 0; i < 40 && lines.length === 0; i++) {
      const exported = await cli(['audit', 'export']);
      expect(exported.code, exported.stderr).toBe(0);
      lines = exported.stdout.split('\n').filter((l) => l !== '');
      if (lines.length === 0) await sleep(100);
    }
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(event).toMatchObject({
      host: 'api.openai.com',
      provider: 'openai',
      method: 'POST',
      path: '/v1/chat/completions',
      decision: 'redact',
      rules: ['aws-access-key-id', 'email'],
      redactions: { 'aws-access-key-id': 1, email: 1 },
      status: 200,
    });
    expect(lines[0]).not.toContain(AWS_KEY);

    const status = JSON.parse((await cli(['status', '--json'])).stdout) as {
      counters: Record<string, number>;
    };
    expect(status.counters).toMatchObject({ requests: 1, redactions: 2, blocks: 0, errors: 0 });
  });

  it('doctor exits 1 and names the fix when HTTPS_PROXY is unset', async () => {
    const res = await cli(['doctor']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^FIX\s+HTTPS_PROXY is not set/m);
    expect(res.stdout).toContain('fix: eval "$(llmgate env)"');
    expect(res.stdout).toMatch(/^ok\s+daemon running/m);
    expect(res.stdout).toMatch(/^ok\s+proxy answers and requires credentials/m);
  });

  it('doctor exits 0 in a shell set up with llmgate env', async () => {
    const res = await sh(home, fakeHome, 'eval "$(llmgate env)" && llmgate doctor');
    expect(res.code, res.stdout).toBe(0);
    expect(res.stdout).not.toMatch(/^FIX/m);
  });

  it('stop stops the daemon; status then exits 2 saying it is not running', async () => {
    const stopped = await cli(['stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe('llmgate stopped.\n');
    expect(alive(pid!)).toBe(false);

    const text = await cli(['status']);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('not running');
    expect(text.stderr).toContain('llmgate start');

    const json = await cli(['status', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ running: false });

    const again = await cli(['stop']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('not running');
  });

  it('audit export still works from the file after the daemon stopped', async () => {
    const res = await cli(['audit', 'export']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });
});

describe('llmgate scan (no daemon needed)', () => {
  let home: string;
  let fakeHome: string;
  const cli = (args: readonly string[], input?: string): Promise<Run> =>
    llmgate(home, fakeHome, args, { input });

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lg-cli-scan-'));
    fakeHome = await mkdtemp(path.join(os.tmpdir(), 'lg-cli-scan-user-'));
  });

  afterAll(async () => {
    if (home !== undefined) await rm(home, { recursive: true, force: true });
    if (fakeHome !== undefined) await rm(fakeHome, { recursive: true, force: true });
  });

  it('scan --jsonl writes one {id, findings, redacted} line per input, offsets in JS string indices, exit 1', async () => {
    const text = `😀 deploy key ${AWS_KEY} ok`;
    const input = [
      JSON.stringify({ id: 1, text }),
      JSON.stringify({ id: 'clean', text: 'nothing here' }),
    ].join('\n');
    const res = await cli(['scan', '--jsonl'], `${input}\n`);
    expect(res.code, res.stderr).toBe(1);
    const lines = res.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['id', 'findings', 'redacted']);
    expect(first.id).toBe(1);
    const findings = first.findings as Record<string, unknown>[];
    expect(findings).toHaveLength(1);
    expect(Object.keys(findings[0]!)).toEqual(['rule', 'category', 'start', 'end', 'action']);
    const start = text.indexOf(AWS_KEY); // the emoji is two UTF-16 units: a byte offset would differ
    expect(findings[0]).toEqual({
      rule: 'aws-access-key-id',
      category: 'secret',
      start,
      end: start + AWS_KEY.length,
      action: 'redact',
    });
    expect(text.slice(start, start + AWS_KEY.length)).toBe(AWS_KEY);
    expect(first.redacted).toBe('😀 deploy key [REDACTED:aws-access-key-id] ok');
    expect(JSON.parse(lines[1]!)).toEqual({ id: 'clean', findings: [], redacted: 'nothing here' });
  });

  it('scan --jsonl exits 0 when nothing is found', async () => {
    const res = await cli(
      ['scan', '--jsonl'],
      `${JSON.stringify({ id: 'a', text: 'a sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })}\n`,
    );
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ id: 'a', findings: [] });
  });

  it('scan --jsonl exits 2 with a message naming a line that is not {"id","text"}', async () => {
    const input = [
      JSON.stringify({ id: 1, text: 'fine' }),
      'this is not json',
      JSON.stringify({ text: 'no id' }),
    ].join('\n');
    const res = await cli(['scan', '--jsonl'], input);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/line 2\b/);
    expect(res.stderr).toMatch(/line 3\b/);
    expect(res.stderr).toContain('{"id": ..., "text": "..."}');
  });

  it('scan --json FILE prints one result for the file', async () => {
    const file = path.join(home, 'notes.txt');
    await writeFile(file, `mail ${EMAIL}\n`);
    const res = await cli(['scan', '--json', file]);
    expect(res.code).toBe(1);
    const result = JSON.parse(res.stdout) as {
      id: string;
      findings: { rule: string; start: number; end: number }[];
      redacted: string;
    };
    expect(result.id).toBe(file);
    expect(result.findings).toEqual([
      { rule: 'email', category: 'pii', start: 5, end: 5 + EMAIL.length, action: 'pseudonymize' },
    ]);
    // Stand-ins exist only inside a running daemon: `scan` shows pseudonymized values as placeholders.
    expect(result.redacted).toBe('mail [REDACTED:email]\n');
  });

  it('scan reads stdin and prints the redacted text, listing findings on stderr', async () => {
    const res = await cli(['scan'], `key ${AWS_KEY}\n`);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('key [REDACTED:aws-access-key-id]\n');
    expect(res.stderr).toContain('aws-access-key-id');
    expect(res.stderr).not.toContain(AWS_KEY);
  });

  it('scan of an unreadable file exits 2 with a clear message', async () => {
    const res = await cli(['scan', path.join(home, 'missing.txt')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('cannot read');
  });

  it('ca path and audit export before the first start exit 2 and say what creates the file', async () => {
    const [ca, audit] = await Promise.all([cli(['ca', 'path']), cli(['audit', 'export'])]);
    expect(ca.code).toBe(2);
    expect(ca.stderr).toContain('llmgate start');
    expect(audit.code).toBe(2);
    expect(audit.stderr).toContain('llmgate start');
  });
});

describe('llmgate --help', () => {
  const commands = [
    [],
    ['start'],
    ['stop'],
    ['status'],
    ['env'],
    ['scan'],
    ['audit'],
    ['audit', 'tail'],
    ['audit', 'export'],
    ['audit', 'verify'],
    ['audit', 'sync'],
    ['ca'],
    ['ca', 'path'],
    ['ca', 'export'],
    ['doctor'],
  ];

  it('prints help and exits 0 for every command', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'lg-cli-help-'));
    try {
      const results = await Promise.all(commands.map((c) => llmgate(home, home, [...c, '--help'])));
      results.forEach((res, i) => {
        const name = ['llmgate', ...commands[i]!].join(' ');
        expect.soft(res.code, `${name} --help exit code`).toBe(0);
        expect.soft(res.stdout, `${name} --help output`).toMatch(/^Usage: llmgate/);
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('daemon robustness', () => {
  let home: string;
  let fakeHome: string;
  let pid: number | undefined;
  let port = 0;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lg-cli-robust-'));
    fakeHome = await mkdtemp(path.join(os.tmpdir(), 'lg-cli-robust-user-'));
    const started = await llmgate(home, fakeHome, ['start', '--port', '0']);
    const match = /pid (\d+)\): proxy http:\/\/127\.0\.0\.1:(\d+)/.exec(started.stdout);
    if (match === null) throw new Error(`llmgate start failed: ${started.stdout}${started.stderr}`);
    pid = Number(match[1]);
    PIDS.add(pid);
    port = Number(match[2]);
  }, 60_000);

  afterAll(async () => {
    if (home !== undefined) await stopDaemon(home, fakeHome, pid);
    if (home !== undefined) await rm(home, { recursive: true, force: true });
    if (fakeHome !== undefined) await rm(fakeHome, { recursive: true, force: true });
  }, 30_000);

  it('keeps running after a base-URL request whose path token is malformed percent-encoding', async () => {
    // No credentials needed to send this: any local process can.
    const res = await spawnRun(
      'curl',
      [
        '-sS',
        '--max-time',
        '3',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        `http://127.0.0.1:${port}/t/%E0%A4%A/openai/v1/models`,
      ],
      {
        PATH: process.env.PATH,
      },
    );
    await sleep(200);
    const status = await llmgate(home, fakeHome, ['status', '--json']);
    const log = await readFile(path.join(home, 'daemon.log'), 'utf8').catch(() => '');
    expect(status.code, `llmgate status after the request; daemon.log:\n${log}`).toBe(0);
    // And the request itself was answered (401 for a token that is not the credential).
    expect(res.stdout).toBe('401');
  });
});
