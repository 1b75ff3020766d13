/**
 * The status window. It reads and acts only through `window.llmgate` (the preload's narrow API) and writes
 * the page with textContent only, so nothing the daemon reports can become markup.
 */
import { protectionOf } from '../../core/control/summary.js';
import type { DesktopApi, RecentEvent, StatusView } from '../shared/api.js';

declare global {
  interface Window {
    readonly llmgate: DesktopApi;
  }
}

const REFRESH_MS = 2_000;
const SHOWN_EVENTS = 15;

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`missing #${id}`);
  return el;
}

function fill(list: HTMLElement, rows: readonly (readonly [string, string])[]): void {
  list.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

function when(iso: string | null): string {
  if (iso === null) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function outcome(e: RecentEvent): string {
  const values = Object.values(e.redactions).reduce((a, b) => a + b, 0);
  if (e.decision === 'allow') return e.error === null ? 'allowed, nothing to redact' : `failed (${e.error})`;
  if (e.decision === 'redact')
    return `redacted ${values} value${values === 1 ? '' : 's'}: ${e.rules.join(', ')}`;
  return `refused: rule ${e.rules[0] ?? e.error ?? 'policy'}`;
}

function renderEvents(events: readonly RecentEvent[]): void {
  const shown = events.slice(-SHOWN_EVENTS).reverse();
  $('no-events').hidden = shown.length > 0;
  $('events')
    .querySelector('tbody')
    ?.replaceChildren(
      ...shown.map((e) => {
        const tr = document.createElement('tr');
        tr.className = e.decision;
        for (const text of [
          new Date(e.time).toLocaleTimeString(),
          `${e.method} ${e.host}${e.path}`,
          e.model ?? '-',
          outcome(e),
        ]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.append(td);
        }
        return tr;
      }),
    );
}

function render(view: StatusView): void {
  const protection = protectionOf(
    view.running ? view.status : undefined,
    view.running ? view.events : [],
    new Date(),
  );
  $('state').dataset.state = protection.state;
  $('headline').textContent = protection.headline;
  $('down').hidden = view.running;
  $('running').hidden = !view.running;
  if (!view.running) {
    $('down-reason').textContent = view.reason;
    return;
  }
  const { status, events } = view;
  const identity = status.identity;
  fill(
    $('identity'),
    identity === null
      ? [['sign-in', 'not configured by your organisation']]
      : [
          ['user', identity.signedIn ? (identity.user ?? identity.subject ?? 'unknown') : 'signed out'],
          ['groups', identity.groups.length > 0 ? identity.groups.join(', ') : '-'],
          ['token expires', when(identity.expiresAt)],
          ['device', identity.deviceThumbprint ?? '-'],
          ['tokens in', identity.store],
          ...identity.warnings.map((w) => ['warning', w] as const),
        ],
  );
  $('sign-in').hidden = identity === null || identity.signedIn;
  $('sign-out').hidden = identity === null || !identity.signedIn;
  fill($('protection'), [
    ['proxy', status.proxy.url],
    [
      'policy',
      `${status.policy.id} v${status.policy.version} (${status.policy.source}, ${status.policy.signature}${status.policy.state === 'ok' ? '' : ', unavailable'})`,
    ],
    ['groups', status.policy.groups.join(', ')],
    ['audit', `${status.audit.events} events this run, ${status.audit.backlog} waiting to sync`],
    ...status.audit.warnings.map((w) => ['warning', w] as const),
    ['version', status.version],
  ]);
  const limits = status.policy.limits;
  $('budgets-card').hidden = limits.length === 0;
  fill(
    $('budgets'),
    limits.map((l) => [
      `${l.model === '*' ? 'all models' : l.model}, ${l.kind === 'tokens-per-day' ? 'tokens today' : 'requests this minute'}`,
      `${l.remaining} of ${l.limit} left (rule ${l.rule})`,
    ]),
  );
  const c = status.counters;
  fill($('counters'), [
    ['requests', String(c.requests)],
    ['values redacted', String(c.redactions)],
    ['refused', String(c.blocks)],
    ['failed upstream', String(c.errors)],
    ['other hosts (untouched)', String(c.tunnels)],
  ]);
  renderEvents(events);
}

async function refresh(): Promise<void> {
  try {
    render(await window.llmgate.status());
  } catch (err) {
    render({ running: false, reason: `The tray app could not ask the daemon: ${(err as Error).message}` });
  }
}

function showPage(page: 'status' | 'settings'): void {
  $('page-status').hidden = page !== 'status';
  $('page-settings').hidden = page !== 'settings';
  $('tab-status').setAttribute('aria-selected', String(page === 'status'));
  $('tab-settings').setAttribute('aria-selected', String(page === 'settings'));
}

async function loadSettings(): Promise<void> {
  const s = await window.llmgate.settings();
  ($('start-at-login') as HTMLInputElement).checked = s.startAtLogin;
  ($('notifications') as HTMLInputElement).checked = s.notifications;
}

function wire(): void {
  $('tab-status').addEventListener('click', () => showPage('status'));
  $('tab-settings').addEventListener('click', () => {
    showPage('settings');
    void loadSettings();
  });
  $('sign-in').addEventListener('click', () => {
    $('sign-in-result').textContent = 'Continue in your browser…';
    void window.llmgate.signIn().then((r) => {
      $('sign-in-result').textContent = r.message;
      void refresh();
    });
  });
  $('sign-out').addEventListener('click', () => {
    void window.llmgate.signOut().then((r) => {
      $('sign-in-result').textContent = r.message;
      void refresh();
    });
  });
  $('copy-shell').addEventListener('click', () => {
    void window.llmgate.copyShellSetup().then((text) => {
      $('copy-result').textContent = `Copied: ${text}`;
    });
  });
  for (const id of ['start-at-login', 'notifications'] as const) {
    $(id).addEventListener('change', (event) => {
      const checked = (event.target as HTMLInputElement).checked;
      void window.llmgate
        .updateSettings(id === 'start-at-login' ? { startAtLogin: checked } : { notifications: checked })
        .then(() => loadSettings());
    });
  }
}

wire();
void refresh();
setInterval(() => void refresh(), REFRESH_MS);
