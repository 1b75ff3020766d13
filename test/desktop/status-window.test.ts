/**
 * The tray app's status window in headless Chromium (Debian's, through playwright-core) against a running
 * daemon: the built renderer is served with the app's Content-Security-Policy, and `window.llmgate` is the
 * main process's real API module (desktop/main/api.ts) reached over Playwright's bridge, as Electron's
 * preload reaches it over IPC. Sign-in goes through a real OpenID Provider and Secret Service. Each state is
 * saved as a screenshot under test-artifacts/desktop/.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ProxyAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../core/control/index.js';
import { createDesktopApi } from '../../desktop/main/api.js';
import { DEFAULT_SETTINGS } from '../../desktop/main/settings.js';
import { DaemonSupervisor } from '../../desktop/main/supervisor.js';
import { CONTENT_SECURITY_POLICY } from '../../desktop/main/window.js';
import type { DesktopApi, Settings } from '../../desktop/shared/api.js';
import { TestBrowser } from '../support/browser.js';
import { OPENAI_TEST_KEY, proxyAgent, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { LLMGATE_CLIENT_ID, startTestIdp, type TestIdp } from '../support/idp.js';
import { startTestKeyring, type TestKeyring } from '../support/keyring.js';
import { AWS_KEY, EMAIL, PRIVATE_KEY } from '../support/secrets.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER = path.join(ROOT, 'dist', 'desktop', 'renderer');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'desktop');
const CHROMIUM = process.env.LLMGATE_CHROMIUM ?? '/usr/bin/chromium';
const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const chat = (content: string): string =>
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] });

let keyring: TestKeyring;
let pki: TestPki;
let idp: TestIdp;
let h: Harness;
let agent: ProxyAgent;
let server: http.Server;
let origin: string;
let browser: Browser;
let clipboard = '';
let settings: Settings = DEFAULT_SETTINGS;
const loginItems: boolean[] = [];

/** The renderer as Electron's `llmgate://app/` handler serves it: its own files, with the CSP header. */
async function serveRenderer(): Promise<void> {
  server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname) || 'index.html';
    const type = name.endsWith('.html')
      ? 'text/html'
      : name.endsWith('.css')
        ? 'text/css'
        : 'text/javascript';
    readFile(path.join(RENDERER, name)).then(
      (body) => {
        res.writeHead(200, { 'content-type': type, 'content-security-policy': CONTENT_SECURITY_POLICY });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function apiFor(socketPath: string): DesktopApi {
  const client = new ControlClient(socketPath);
  return createDesktopApi({
    client,
    // The tray would start `llmgate start`; here the daemon is the test's, so a stopped one stays down.
    supervisor: new DaemonSupervisor({
      client,
      startDaemon: () => Promise.reject(new Error('the test keeps this daemon stopped')),
    }),
    // The system browser: the IdP's pages driven over HTTP, as the user would click through them.
    openExternal: async (url) => {
      const user = new TestBrowser(pki.caPem);
      try {
        await user.signIn(url, 'alice');
      } finally {
        await user.close();
      }
    },
    writeClipboard: (text) => {
      clipboard = text;
    },
    loadSettings: () => Promise.resolve(settings),
    saveSettings: (next) => {
      settings = next;
      return Promise.resolve();
    },
    applyStartAtLogin: (enabled) => loginItems.push(enabled),
    signInTimeoutMs: 30_000,
  });
}

/** A page whose `window.llmgate` is `api`, each call crossing into the test process as IPC would. */
async function openWindow(api: DesktopApi): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 760 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  for (const name of Object.keys(api) as (keyof DesktopApi)[]) {
    await page.exposeFunction(`__llmgate_${name}`, (arg: unknown) =>
      (api[name] as (a: unknown) => Promise<unknown>)(arg),
    );
  }
  // Runs in the page before its scripts (a string: the test is type-checked without the DOM library).
  await page.addInitScript({
    content: `Object.defineProperty(window, 'llmgate', { value: Object.freeze(Object.fromEntries(
      ${JSON.stringify(Object.keys(api))}.map((n) => [n, (arg) => window['__llmgate_' + n](arg)]))) });`,
  });
  await page.goto(`${origin}/index.html`);
  page.on('close', () => expect(errors).toEqual([]));
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!existsSync(path.join(RENDERER, 'renderer.js')))
    throw new Error('dist/desktop/renderer is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is required for the status window tests (${CHROMIUM}): apt-get install chromium`,
    );
  await mkdir(ARTIFACTS, { recursive: true });
  keyring = await startTestKeyring();
  pki = await createTestPki();
  idp = await startTestIdp({ pki });
  h = await startHarness(
    {
      oidc: {
        issuer: idp.issuer,
        clientId: LLMGATE_CLIENT_ID,
        scopes: ['openid', 'email', 'profile', 'groups'],
      },
      detect: { actions: { rules: { 'private-key': 'block' } } },
    },
    { pki },
  );
  agent = proxyAgent(h);
  await serveRenderer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await agent?.close();
  await h?.close();
  await idp?.close();
  await keyring?.close();
});

describe('the status window', () => {
  it('shows a signed-out user what to do, signs in through the browser, then shows who is signed in', async () => {
    const page = await openWindow(apiFor(h.daemon.paths.controlSocket));
    await expect.poll(() => page.locator('#state').getAttribute('data-state')).toBe('signed-out');
    expect(await page.locator('#headline').textContent()).toContain('requests are refused until you sign in');
    await shot(page, 'signed-out');

    await page.click('#sign-in');
    await expect
      .poll(() => page.locator('#sign-in-result').textContent(), { timeout: 30_000 })
      .toBe('Signed in as alice@corp.example.');
    await expect.poll(() => page.locator('#state').getAttribute('data-state')).toBe('protected');
    const identity = await page.locator('#identity').textContent();
    expect(identity).toContain('alice@corp.example');
    expect(identity).toContain('engineering');
    expect(await page.locator('#sign-out').isVisible()).toBe(true);
    await page.close();
  });

  it('lists requests with the rules that redacted them, never the values', async () => {
    const res = await send(agent, CHAT, { headers: HEADERS, body: chat(`ship ${AWS_KEY} to ${EMAIL}`) });
    expect(res.status).toBe(200);
    const page = await openWindow(apiFor(h.daemon.paths.controlSocket));
    await expect.poll(() => page.locator('#events tbody tr').count()).toBeGreaterThan(0);
    const row = await page.locator('#events tbody tr').first().textContent();
    expect(row).toContain('POST api.openai.com/v1/chat/completions');
    expect(row).toMatch(/redacted 2 values: .*aws-access-key-id/);
    const whole = await page.locator('body').textContent();
    expect(whole).not.toContain(AWS_KEY);
    expect(whole).not.toContain(EMAIL);
    expect(await page.locator('#protection').textContent()).toContain(h.env.proxyUrl);
    await page.click('#copy-shell');
    await expect.poll(() => page.locator('#copy-result').textContent()).toBe('Copied: eval "$(llmgate env)"');
    expect(clipboard).toBe('eval "$(llmgate env)"');
    await shot(page, 'protected');
    await page.close();
  });

  it('asks for attention after a refusal, naming the rule', async () => {
    const res = await send(agent, CHAT, { headers: HEADERS, body: chat(`key:\n${PRIVATE_KEY}`) });
    expect(res.status).toBe(403);
    const page = await openWindow(apiFor(h.daemon.paths.controlSocket));
    await expect.poll(() => page.locator('#state').getAttribute('data-state')).toBe('attention');
    expect(await page.locator('#headline').textContent()).toContain('refused (rule private-key)');
    expect(await page.locator('#events tbody tr.block').first().textContent()).toContain(
      'refused: rule private-key',
    );
    await shot(page, 'attention');
    await page.close();
  });

  it('changes only the settings a user may change, and applies start at login', async () => {
    const page = await openWindow(apiFor(h.daemon.paths.controlSocket));
    await page.click('#tab-settings');
    await expect.poll(() => page.locator('#start-at-login').isChecked()).toBe(true);
    await page.click('#start-at-login');
    await expect.poll(() => settings.startAtLogin).toBe(false);
    expect(loginItems).toEqual([false]);
    expect(await page.locator('#page-settings').textContent()).toContain(
      "decided by your organisation's policy",
    );
    await shot(page, 'settings');
    await page.close();
  });

  it('says the daemon is down when it does not answer', async () => {
    const page = await openWindow(apiFor(path.join(h.home, 'no-such.sock')));
    await expect.poll(() => page.locator('#state').getAttribute('data-state')).toBe('down');
    expect(await page.locator('#down').isVisible()).toBe(true);
    expect(await page.locator('#down-reason').textContent()).toContain('could not start');
    await shot(page, 'down');
    await page.close();
  });

  it('runs without Node and refuses inline script (the CSP holds)', async () => {
    const page = await openWindow(apiFor(h.daemon.paths.controlSocket));
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    const ran = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.body.append(s);
      return window.__inline === true;
    })()`);
    expect(ran).toBe(false);
    await page.close();
  });
});
