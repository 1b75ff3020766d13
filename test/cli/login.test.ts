/**
 * `llmgate login`, `logout` and the identity in `status`, as a user runs them: the built CLI in child
 * processes against a background daemon, a real OpenID Provider on loopback and a real Secret Service
 * (gnome-keyring on a private bus). The sign-in's browser side is driven over HTTP by the test.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainStore, loadSession } from '../../core/identity/index.js';
import { TestBrowser } from '../support/browser.js';
import { BACKEND_RESOURCE, LLMGATE_CLIENT_ID, startTestIdp, type TestIdp } from '../support/idp.js';
import { startTestKeyring, type TestKeyring } from '../support/keyring.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'llmgate.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running `llmgate ...` whose stdout can be awaited line by line. */
interface Live {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with stdout so far once it matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  done: Promise<Run>;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv): Live {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (s: string) => void }[] = [];
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
    for (const w of [...waiters]) {
      if (w.pattern.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(stdout);
      }
    }
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<Run>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitFor: (pattern, timeoutMs = 20_000) =>
      pattern.test(stdout)
        ? Promise.resolve(stdout)
        : new Promise<string>((resolve, reject) => {
            const t = setTimeout(
              () => reject(new Error(`no ${pattern} in stdout: ${stdout} / ${stderr}`)),
              timeoutMs,
            );
            waiters.push({ pattern, resolve: (s) => (clearTimeout(t), resolve(s)) });
          }),
  };
}

let keyring: TestKeyring;
let pki: TestPki;
let idp: TestIdp;
const cleanup: string[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('build the CLI first: npm run build');
  keyring = await startTestKeyring();
  pki = await createTestPki();
  idp = await startTestIdp({ pki });
});
afterAll(async () => {
  await idp?.close();
  await keyring?.close();
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

/** A home with sign-in configured, and a daemon started in the background with `bus` as its D-Bus. */
async function session(bus: string, identity: Record<string, unknown> = {}) {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lg-login-'));
  const fakeHome = await mkdtemp(path.join(os.tmpdir(), 'lg-login-user-'));
  cleanup.push(home, fakeHome);
  const upstreamCaFile = path.join(fakeHome, 'idp-ca.pem');
  await writeFile(upstreamCaFile, pki.caPem);
  await writeFile(
    path.join(home, 'config.json'),
    JSON.stringify({
      upstreamCaFile,
      oidc: {
        issuer: idp.issuer,
        clientId: LLMGATE_CLIENT_ID,
        scopes: ['openid', 'email', 'profile', 'groups', 'offline_access', 'api'],
        resource: BACKEND_RESOURCE,
      },
      identity,
    }),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: fakeHome,
    LLMGATE_HOME: home,
    LANG: 'C.UTF-8',
    DBUS_SESSION_BUS_ADDRESS: bus,
  };
  const cli = (args: readonly string[]): Promise<Run> => run(args, env).done;
  const started = await cli(['start', '--port', '0']);
  expect(started.code, started.stderr).toBe(0);
  return { home, env, cli, stop: () => cli(['stop']) };
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

describe('llmgate login / status / logout', () => {
  let s: Awaited<ReturnType<typeof session>>;
  beforeAll(async () => {
    s = await session(keyring.address);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('status says nobody is signed in and how to fix it', async () => {
    const status = await s.cli(['status']);
    expect(status.stdout).toMatch(
      /identity\s+not signed in: run `llmgate login` \(requests are refused until then\)/,
    );
  });

  it('login --device-code --json prints the URI and code as one JSON line, then waits for the second device', async () => {
    const live = run(['login', '--device-code', '--json'], s.env);
    const first = JSON.parse((await live.waitFor(/\n/)).split('\n')[0]!) as Record<string, string>;
    expect(first).toMatchObject({
      method: 'device',
      verificationUri: `${idp.issuer}/device`,
      userCode: expect.any(String),
    });
    const browser = new TestBrowser(pki.caPem);
    await browser.confirmDeviceCode(first.verificationUri!, first.userCode!, 'alice');
    await browser.close();
    const result = await live.done;
    expect(result.code, result.stderr).toBe(0);
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      signedIn: boolean;
      identity: Record<string, unknown>;
    };
    expect(last).toMatchObject({
      signedIn: true,
      identity: { user: 'alice@corp.example', groups: ['engineering', 'llm-users'] },
    });
  });

  it('status shows who is signed in, groups, token expiry and the device thumbprint (text and --json)', async () => {
    const json = JSON.parse((await s.cli(['status', '--json'])).stdout) as {
      identity: Record<string, unknown>;
    };
    expect(json.identity).toMatchObject({ signedIn: true, user: 'alice@corp.example', store: 'keychain' });
    const text = (await s.cli(['status'])).stdout;
    expect(text).toContain('alice@corp.example (Alice Example), groups engineering, llm-users; token until ');
    expect(text).toContain(`device key ${String(json.identity.deviceThumbprint)}`);
  });

  it('login (browser) prints the URL to open and finishes when the browser comes back', async () => {
    const live = run(['login', '--no-browser'], s.env);
    const out = await live.waitFor(/Waiting for the browser/);
    const url = /https:\/\/\S+/.exec(out)![0];
    const browser = new TestBrowser(pki.caPem);
    await browser.signIn(url, 'bob');
    await browser.close();
    const result = await live.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Signed in as bob@corp.example (Bob Example), groups support;');
  });

  it('a denied sign-in exits 2 with a clear message and its code', async () => {
    const live = run(['login', '--device-code', '--json'], s.env);
    const first = JSON.parse((await live.waitFor(/\n/)).split('\n')[0]!) as Record<string, string>;
    const browser = new TestBrowser(pki.caPem);
    await browser.confirmDeviceCode(first.verificationUri!, first.userCode!, 'bob', { deny: true });
    await browser.close();
    const result = await live.done;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/sign-in was denied.*\[LG_IDENTITY_DENIED\]/s);
  });

  it('logout revokes and signs out; no file in the home ever held a token', async () => {
    const tokens = (await loadSession(new KeychainStore(s.home)))!;
    const out = await s.cli(['logout']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(
      'Signed out bob@corp.example: the refresh token was revoked at the identity provider',
    );
    expect((await s.cli(['status'])).stdout).toContain('not signed in: run `llmgate login`');
    const files = await filesUnder(s.home);
    expect(files.some((f) => f.endsWith('daemon.log'))).toBe(true);
    for (const file of files) {
      const content = await readFile(file);
      for (const secret of [tokens.accessToken, tokens.refreshToken!, tokens.idToken!]) {
        expect(content.includes(secret), `${file} holds a token`).toBe(false);
      }
    }
  });
});

describe('stopping a signed-in daemon', () => {
  it('stop ends a signed-in daemon cleanly', async () => {
    const s = await session(keyring.address);
    const live = run(['login', '--device-code', '--json'], s.env);
    const first = JSON.parse((await live.waitFor(/\n/)).split('\n')[0]!) as Record<string, string>;
    const browser = new TestBrowser(pki.caPem);
    await browser.confirmDeviceCode(first.verificationUri!, first.userCode!, 'alice');
    await browser.close();
    expect((await live.done).code).toBe(0);
    const stopped = await s.stop();
    expect(stopped.stdout).toContain('llmgate stopped.');
  });
});

describe('without a keychain', () => {
  const NO_BUS = 'unix:path=/nonexistent/llmgate-no-secret-service';

  it('login refuses with instructions, and status warns', async () => {
    const s = await session(NO_BUS);
    try {
      const login = await s.cli(['login', '--no-browser']);
      expect(login.code).toBe(2);
      expect(login.stderr).toMatch(
        /No OS keychain.*gnome-keyring.*allowPlaintextFileStore.*\[LG_IDENTITY_NO_KEYCHAIN\]/s,
      );
      const status = await s.cli(['status']);
      expect(status.stdout).toMatch(/^# warning: No OS keychain/m);
      expect(JSON.parse((await s.cli(['status', '--json'])).stdout)).toMatchObject({
        identity: { store: 'unavailable' },
      });
    } finally {
      await s.stop();
    }
  });

  it('uses an owner-only file store only when config opts in, and says so in status', async () => {
    const s = await session(NO_BUS, { allowPlaintextFileStore: true });
    try {
      const live = run(['login', '--device-code', '--json'], s.env);
      const first = JSON.parse((await live.waitFor(/\n/)).split('\n')[0]!) as Record<string, string>;
      const browser = new TestBrowser(pki.caPem);
      await browser.confirmDeviceCode(first.verificationUri!, first.userCode!, 'alice');
      await browser.close();
      expect((await live.done).code).toBe(0);
      const status = await s.cli(['status']);
      expect(status.stdout).toMatch(/^# warning: tokens and the device key are in a plaintext file/m);
      const { statSync } = await import('node:fs');
      expect(statSync(path.join(s.home, 'identity', 'secrets.json')).mode & 0o777).toBe(0o600);
    } finally {
      await s.stop();
    }
  });
});
