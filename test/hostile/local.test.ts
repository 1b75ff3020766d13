/**
 * Local attackers: another user on the machine (run as `nobody` with runuser) cannot ride the proxy or
 * open the control socket; a web page (which can reach loopback TCP ports, with any Host header after a
 * DNS rebinding) finds no control API there and nothing it can use on the proxy port.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readlink, readdir, stat, chmod } from 'node:fs/promises';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { curl, proxyAgent, resetRecorded } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { CHAT_URL, chatJson, expectStillServing, rawProxy, statusOf } from '../support/hostile.js';
import { AWS_KEY } from '../support/secrets.js';

let h: Harness;
let agent: ProxyAgent;
/** The proxy credential, which nothing below may leak. */
let credential: string;

beforeAll(async () => {
  h = await startHarness();
  agent = proxyAgent(h);
  credential = decodeURIComponent(new URL(h.env.proxyUrlWithCredentials).password);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

/**
 * Another local user: `nobody`, reached with runuser as root (it lives in /usr/sbin, which a non-login
 * PATH may lack) or with `sudo -n` otherwise, as .ci/run does. Like every test, these never skip.
 */
const AS_NOBODY: readonly string[] =
  process.getuid?.() === 0
    ? [existsSync('/usr/sbin/runuser') ? '/usr/sbin/runuser' : 'runuser', '-u', 'nobody', '--']
    : ['sudo', '-n', '-u', 'nobody', '--'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `args` as the unprivileged user `nobody` (another local user), with a clean environment. */
function asNobody(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(AS_NOBODY[0]!, [...AS_NOBODY.slice(1), ...args], {
      env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' },
      cwd: '/',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** curl over the control socket (as `nobody`): `-w` prints the HTTP status, 000 when none. */
function nobodyControl(path: string): Promise<Run> {
  return asNobody([
    'curl',
    '-sS',
    '--max-time',
    '5',
    '-w',
    '\n%{http_code}',
    '--unix-socket',
    h.daemon.paths.controlSocket,
    `http://llmgate.local${path}`,
  ]);
}

/** One request over the control socket as this (the owner) user, with the given Host header. */
function ownerControl(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: h.daemon.paths.controlSocket, path, method: 'GET', headers: { host } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

describe('another local user (run as nobody)', () => {
  it('cannot send through the proxy: CONNECT without the credential gets 407', async () => {
    resetRecorded(h);
    const run = await asNobody([
      'curl',
      '-sS',
      '--max-time',
      '5',
      '-w',
      '\n%{http_connect}',
      '--proxy',
      h.env.proxyUrl,
      '--cacert',
      '/dev/null',
      '-d',
      chatJson(AWS_KEY),
      CHAT_URL,
    ]);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('407');
    expect(h.provider.requests).toHaveLength(0);
  });

  it('cannot send plain proxy requests or base-URL requests without the credential', async () => {
    resetRecorded(h);
    const plain = await asNobody([
      'curl',
      '-sS',
      '--max-time',
      '5',
      '-w',
      '\n%{http_code}',
      '--proxy',
      h.env.proxyUrl,
      '-d',
      chatJson(AWS_KEY),
      'http://api.openai.com/v1/chat/completions',
    ]);
    expect(plain.stdout.trim().split('\n').at(-1)).toBe('407');
    const guessed = await asNobody([
      'curl',
      '-sS',
      '--max-time',
      '5',
      '-w',
      '\n%{http_code}',
      '-d',
      chatJson(AWS_KEY),
      `${h.env.proxyUrl}/t/${'A'.repeat(credential.length)}/openai/v1/chat/completions`,
    ]);
    expect(guessed.stdout.trim().split('\n').at(-1)).toBe('401');
    expect(h.provider.requests).toHaveLength(0);
  });

  it('cannot open the control socket: it is 0600 in a 0700 home', async () => {
    const home = await stat(h.home);
    const socket = await stat(h.daemon.paths.controlSocket);
    expect(home.mode & 0o777).toBe(0o700);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    const run = await nobodyControl('/v1/env');
    expect(run.code).not.toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('000');
    expect(run.stdout).not.toContain(credential);
    expect(run.stderr).toMatch(/Permission denied|Couldn't connect/i);
  });

  it('cannot open the control socket even when the home directory is opened up by mistake', async () => {
    await chmod(h.home, 0o755);
    try {
      for (const path of ['/v1/env', '/v1/status']) {
        const run = await nobodyControl(path);
        expect(run.code).not.toBe(0);
        expect(run.stdout).not.toContain(credential);
      }
    } finally {
      await chmod(h.home, 0o700);
    }
    // The owner still can.
    expect((await ownerControl('/v1/status', 'llmgate.local')).status).toBe(200);
  });
});

/** Listening TCP sockets of this process (the daemon runs in it), as `address:port` in hex from /proc. */
async function listeningTcp(): Promise<{ address: string; port: number }[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m !== null) inodes.add(m[1]!);
  }
  const out: { address: string; port: number }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      const [address, port] = cols[1]!.split(':') as [string, string];
      if (cols[3] === '0A' && inodes.has(cols[9]!)) out.push({ address, port: parseInt(port, 16) });
    }
  }
  return out;
}

describe('a web page in a browser', () => {
  it('finds no control API on any TCP port: the daemon listens on TCP for the proxy only, on 127.0.0.1', async () => {
    const listening = await listeningTcp();
    // The fake provider runs in this process too; besides it, only the proxy port.
    const others = listening.filter((l) => l.port !== h.provider.port);
    expect(others).toEqual([{ address: '0100007F', port: h.daemon.port }]);
  });

  it.each(['/v1/status', '/v1/env', '/v1/events', '/v1/stop'])(
    'gets 404 for the control route %s on the proxy port, with a rebinding Host header, and no credential',
    async (path) => {
      for (const host of ['evil.example', `127.0.0.1:${h.daemon.port}`, 'llmgate.local']) {
        const method = path === '/v1/stop' ? 'POST' : 'GET';
        const reply = await rawProxy(
          h,
          `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://evil.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
        expect(statusOf(reply)).toBe(404);
        expect(reply.text).not.toContain(credential);
        expect(reply.text.toLowerCase()).not.toContain('access-control-allow-origin');
      }
      await expectStillServing(h, agent);
    },
  );

  it('cannot use the proxy port to reach a provider: origin-form requests without the path token go nowhere', async () => {
    resetRecorded(h);
    for (const path of [
      '/v1/chat/completions',
      '/openai/v1/chat/completions',
      '/t//openai/v1/chat/completions',
    ]) {
      const body = chatJson(AWS_KEY);
      const reply = await rawProxy(
        h,
        `POST ${path} HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect([401, 404]).toContain(statusOf(reply));
      expect(reply.text.toLowerCase()).not.toContain('access-control-allow-origin');
    }
    expect(h.provider.requests).toHaveLength(0);
  });

  it('gets no CORS permission from a preflight to the base-URL path', async () => {
    const reply = await rawProxy(
      h,
      `OPTIONS /t/${credential}/openai/v1/chat/completions HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n`,
    );
    expect(reply.text.toLowerCase()).not.toContain('access-control-allow-origin');
  });

  it('is refused by the control socket itself when a request carries a foreign Host header', async () => {
    const res = await ownerControl('/v1/env', 'evil.example');
    expect(res.status).toBe(403);
    expect(res.body).toContain('LG_CONTROL_FORBIDDEN');
    expect(res.body).not.toContain(credential);
  });
});

describe('curl as the owner, for contrast', () => {
  it('reaches the control socket with the llmgate.local Host header', async () => {
    const res = await curl(['--unix-socket', h.daemon.paths.controlSocket, 'http://llmgate.local/v1/status']);
    expect(res.status).toBe(200);
  });
});
