/**
 * The tray app's main-process logic as plain modules: tray state and menu from the daemon's status, rate
 * limited notifications, the settings file, and the status window's security options (Electron's checklist).
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { protectionOf, type StatusReply } from '../../core/control/index.js';
import { Notifier } from '../../desktop/main/notifier.js';
import { DEFAULT_SETTINGS, loadSettings, saveSettings } from '../../desktop/main/settings.js';
import { menuModel, trayView, type MenuItem } from '../../desktop/main/tray.js';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  statusWindowOptions,
} from '../../desktop/main/window.js';
import type { RecentEvent } from '../../desktop/shared/api.js';

const NOW = new Date('2026-11-21T12:00:00Z');

function status(identity: StatusReply['identity'] = null): StatusReply {
  return {
    running: true,
    version: '0.1.0',
    pid: 42,
    startedAt: '2026-11-21T11:00:00Z',
    uptimeSeconds: 3600,
    home: '/home/dev/.local/state/llmgate',
    proxy: { url: 'http://127.0.0.1:8471', port: 8471 },
    ca: { certPath: '/ca.pem', trustBundlePath: '/bundle.pem', fingerprintSha256: 'ab' },
    identity,
    policy: {
      id: 'embedded-default',
      version: 0,
      source: 'embedded',
      state: 'ok',
      signature: 'none',
      failureMode: 'closed',
      expiresAt: null,
      fetchedAt: null,
      groups: ['default'],
      limits: [],
      error: null,
    },
    counters: { requests: 3, redactions: 1, blocks: 0, errors: 0, tunnels: 0 },
    audit: {
      path: '/audit.db',
      events: 3,
      backlog: 0,
      lastSeq: 3,
      checkpointSeq: 0,
      writeErrors: 0,
      failure: null,
      sync: null,
      warnings: [],
    },
  };
}

function identity(signedIn: boolean): NonNullable<StatusReply['identity']> {
  return {
    configured: true,
    issuer: 'https://idp.example',
    clientId: 'llmgate',
    requireSignIn: true,
    signedIn,
    user: signedIn ? 'jane@acme.example' : null,
    subject: signedIn ? 'u-1' : null,
    name: null,
    groups: [],
    expiresAt: null,
    deviceThumbprint: 'thumb',
    store: 'keychain',
    audiences: [],
    warnings: [],
  };
}

let seq = 0;
function event(decision: RecentEvent['decision'], minutesAgo: number, rules: string[] = []): RecentEvent {
  seq++;
  return {
    id: `e${seq}`,
    time: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
    user: 'local:dev',
    device: 'laptop',
    host: 'api.openai.com',
    provider: 'openai',
    method: 'POST',
    path: '/v1/chat/completions',
    model: 'gpt-4o',
    stream: false,
    decision,
    rules,
    redactions: decision === 'redact' ? Object.fromEntries(rules.map((r) => [r, 1])) : {},
    status: decision === 'block' ? 403 : 200,
    error: decision === 'block' ? 'LG_PIPELINE_BLOCKED' : null,
    latencyMs: 1,
    bytes: { request: 10, response: 10 },
    usage: null,
  };
}

const actions = (items: readonly MenuItem[]): string[] =>
  items.flatMap((i) => (i.type === 'action' || i.type === 'checkbox' ? [i.action] : []));

describe('tray state', () => {
  it.each([
    ['down', undefined, [], 'tray-down', 'not running'],
    ['protected', status(), [event('redact', 1, ['email'])], 'tray-protected', 'Protected'],
    ['attention', status(), [event('block', 2, ['private-key'])], 'tray-attention', 'rule private-key'],
    ['signed out', status(identity(false)), [], 'tray-signed-out', 'Signed out'],
  ] as const)('%s: icon and tooltip', (_name, s, events, icon, text) => {
    const view = trayView(protectionOf(s, events, NOW));
    expect(view.icon).toBe(icon);
    expect(view.tooltip).toContain(text);
  });

  it('shows attention, with the cause, while the audit log cannot be written (requests are refused)', () => {
    const s = status();
    const failing: StatusReply = {
      ...s,
      audit: {
        ...s.audit,
        failure: {
          since: NOW.toISOString(),
          reason: 'the disk holding the audit log /audit.db is full',
          held: 2,
          dropped: 0,
        },
      },
    };
    const view = trayView(protectionOf(failing, [], NOW));
    expect(view.icon).toBe('tray-attention');
    expect(view.tooltip).toContain('Requests are refused: the disk holding the audit log /audit.db is full');
  });

  it('lets a refusal older than five minutes go back to protected', () => {
    expect(protectionOf(status(), [event('block', 6, ['private-key'])], NOW).state).toBe('protected');
  });
});

describe('tray menu', () => {
  it('offers to start the daemon when it is down, and nothing that needs it', () => {
    const items = menuModel(protectionOf(undefined, [], NOW), undefined, DEFAULT_SETTINGS);
    expect(actions(items)).toEqual([
      'start-daemon',
      'open-status',
      'copy-shell-setup',
      'toggle-start-at-login',
      'quit',
    ]);
    expect(items.find((i) => i.type === 'action' && i.action === 'copy-shell-setup')).toMatchObject({
      enabled: false,
    });
  });

  it('offers sign in when sign-in is configured and not done, sign out when signed in', () => {
    const out = menuModel(
      protectionOf(status(identity(false)), [], NOW),
      status(identity(false)),
      DEFAULT_SETTINGS,
    );
    expect(actions(out)).toContain('sign-in');
    expect(actions(out)).not.toContain('sign-out');
    const signedIn = status(identity(true));
    const inside = menuModel(protectionOf(signedIn, [], NOW), signedIn, DEFAULT_SETTINGS);
    expect(actions(inside)).toContain('sign-out');
    expect(inside).toContainEqual({ type: 'label', label: 'Signed in as jane@acme.example' });
  });

  it('has no sign-in entry when the organisation configured none, and shows start at login as set', () => {
    const items = menuModel(protectionOf(status(), [], NOW), status(), {
      startAtLogin: false,
      notifications: true,
    });
    expect(actions(items)).not.toContain('sign-in');
    expect(items).toContainEqual({
      type: 'checkbox',
      action: 'toggle-start-at-login',
      label: 'Start at login',
      checked: false,
    });
  });
});

describe('notifications', () => {
  it('says nothing about events from before the tray started, then reports refusals and redactions', () => {
    const n = new Notifier({ minGapMs: 30_000 });
    const old = [event('block', 1, ['private-key'])];
    expect(n.take(old, 0, true)).toEqual([]);
    const fresh = [...old, event('redact', 0, ['email']), event('block', 0, ['aws-access-key-id'])];
    const notices = n.take(fresh, 1_000, true);
    expect(notices.map((x) => x.kind)).toEqual(['block', 'redact']);
    expect(notices[0]!.body).toContain('rule aws-access-key-id');
    expect(notices[1]!.title).toBe('llmgate kept 1 value on this machine');
  });

  it('shows at most one notice of a kind per gap, and none when the user turned them off', () => {
    const n = new Notifier({ minGapMs: 30_000 });
    const events: RecentEvent[] = [];
    n.take(events, 0, true);
    for (let t = 1; t <= 10; t++) {
      events.push(event('block', 0, ['private-key']));
      n.take(events, t * 1_000, true);
    }
    events.push(event('block', 0, ['private-key']));
    expect(n.take(events, 20_000, true)).toEqual([]);
    events.push(event('block', 0, ['private-key']));
    expect(n.take(events, 40_000, true)).toHaveLength(1);
    events.push(event('block', 0, ['private-key']));
    expect(n.take(events, 90_000, false)).toEqual([]);
  });
});

describe('settings file', () => {
  it('round-trips owner-only, and falls back to the defaults when missing or malformed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lg-desktop-'));
    try {
      const file = path.join(dir, 'settings.json');
      expect(await loadSettings(file)).toEqual(DEFAULT_SETTINGS);
      await saveSettings(file, { startAtLogin: false, notifications: true });
      expect(await loadSettings(file)).toEqual({ startAtLogin: false, notifications: true });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await writeFile(file, '{"startAtLogin": "yes"}');
      expect(await loadSettings(file)).toEqual(DEFAULT_SETTINGS);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ startAtLogin: 'yes' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('status window security (Electron checklist)', () => {
  const options = statusWindowOptions('/app/preload.cjs');

  it('isolates the page: context isolation, sandbox, no Node anywhere, web security on', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('allows no remote content or inline script in its Content-Security-Policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('navigates only within the app', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'llmgate://other/index.html',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});
