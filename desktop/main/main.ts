/**
 * The Electron main process: wiring only. State comes from the daemon through the control API client
 * (`core/control`), decisions from the plain modules beside this file (tray, supervisor, notifier, api,
 * window), which the tests exercise without an Electron binary.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  clipboard,
  ipcMain,
  nativeImage,
  net,
  protocol,
  shell,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import { ControlClient, protectionOf } from '../../core/control/index.js';
import { resolveHome, statePaths } from '../../core/config/index.js';
import { CHANNELS, type DesktopApi, type Settings } from '../shared/api.js';
import { createDesktopApi } from './api.js';
import { Notifier } from './notifier.js';
import { DEFAULT_SETTINGS, loadSettings, saveSettings } from './settings.js';
import { DaemonSupervisor } from './supervisor.js';
import { menuModel, trayView, type MenuAction, type MenuItem } from './tray.js';
import {
  APP_ORIGIN,
  APP_SCHEME,
  hardenContents,
  hardenSession,
  isAppUrl,
  statusWindowOptions,
} from './window.js';

const POLL_MS = 2_000;
/** dist/desktop/main.cjs sits beside preload.cjs, renderer/ and assets/. */
const HERE = __dirname;
const RENDERER_DIR = path.join(HERE, 'renderer');
const ASSETS_DIR = path.join(HERE, 'assets');
/** The CLI shipped inside the app (electron-builder extraResources), or the repository's in development. */
const CLI = app.isPackaged
  ? path.join(process.resourcesPath, 'bin', 'llmgate.js')
  : path.join(HERE, '..', '..', 'bin', 'llmgate.js');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(run);
}

function runCli(args: string[]): Promise<void> {
  // Electron's binary runs the CLI as plain Node.
  return promisify(execFile)(process.execPath, [CLI, ...args], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    timeout: 30_000,
  }).then(() => undefined);
}

/** IPC from anything but the app's own page is refused (checklist: validate the sender of every message). */
function fromApp(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url ?? '';
  if (!isAppUrl(url)) throw new Error(`refused IPC from ${url}`);
}

async function run(): Promise<void> {
  const paths = statePaths(resolveHome());
  const client = new ControlClient(paths.controlSocket);
  const settingsFile = path.join(app.getPath('userData'), 'settings.json');
  let settings: Settings = await loadSettings(settingsFile);
  const supervisor = new DaemonSupervisor({ client, startDaemon: () => runCli(['start']) });
  const api: DesktopApi = createDesktopApi({
    client,
    supervisor,
    openExternal: (url) => shell.openExternal(url),
    writeClipboard: (text) => clipboard.writeText(text),
    loadSettings: () => loadSettings(settingsFile),
    saveSettings: async (next) => {
      settings = next;
      await saveSettings(settingsFile, next);
    },
    applyStartAtLogin: (openAtLogin) => app.setLoginItemSettings({ openAtLogin }),
  });
  if (settings === DEFAULT_SETTINGS) app.setLoginItemSettings({ openAtLogin: settings.startAtLogin });

  protocol.handle(APP_SCHEME, (request) => {
    const { pathname } = new URL(request.url);
    const file = path.normalize(path.join(RENDERER_DIR, decodeURIComponent(pathname)));
    if (!file.startsWith(RENDERER_DIR + path.sep)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
  for (const [name, channel] of Object.entries(CHANNELS) as [keyof DesktopApi, string][]) {
    ipcMain.handle(channel, (event, arg: unknown) => {
      fromApp(event);
      return name === 'updateSettings'
        ? api.updateSettings((arg ?? {}) as Partial<Settings>)
        : (api[name] as () => Promise<unknown>)();
    });
  }

  let window: BrowserWindow | undefined;
  const openStatus = (): void => {
    if (window === undefined || window.isDestroyed()) {
      window = new BrowserWindow(statusWindowOptions(path.join(HERE, 'preload.cjs')));
      hardenSession(window.webContents.session);
      hardenContents(window.webContents);
      window.once('ready-to-show', () => window?.show());
      void window.loadURL(`${APP_ORIGIN}/index.html`);
    } else window.show();
  };
  app.on('second-instance', openStatus);
  // A tray app stays alive with no window open.
  app.on('window-all-closed', () => undefined);

  const tray = new Tray(nativeImage.createFromPath(path.join(ASSETS_DIR, 'tray-down.png')));
  const notifier = new Notifier();
  const act = (action: MenuAction): void => {
    switch (action) {
      case 'sign-in':
        void api.signIn().then((r) => notify('Sign in', r.message));
        break;
      case 'sign-out':
        void api.signOut().then((r) => notify('Sign out', r.message));
        break;
      case 'open-status':
        openStatus();
        break;
      case 'copy-shell-setup':
        void api.copyShellSetup();
        break;
      case 'toggle-start-at-login':
        void api.updateSettings({ startAtLogin: !settings.startAtLogin });
        break;
      case 'start-daemon':
        void supervisor.check();
        break;
      case 'quit':
        app.quit();
        break;
    }
  };
  const toTemplate = (item: MenuItem): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'label':
        return { label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => act(item.action) };
      case 'checkbox':
        return { label: item.label, type: 'checkbox', checked: item.checked, click: () => act(item.action) };
    }
  };
  const notify = (title: string, body: string): void => {
    if (settings.notifications && Notification.isSupported()) new Notification({ title, body }).show();
  };

  const refresh = async (): Promise<void> => {
    const view = await api.status();
    const status = view.running ? view.status : undefined;
    const events = view.running ? view.events : [];
    const protection = protectionOf(status, events, new Date());
    const look = trayView(protection);
    tray.setImage(nativeImage.createFromPath(path.join(ASSETS_DIR, `${look.icon}.png`)));
    tray.setToolTip(look.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(menuModel(protection, status, settings).map(toTemplate)));
    for (const notice of notifier.take(events, Date.now(), settings.notifications))
      notify(notice.title, notice.body);
  };
  const loop = (): void => {
    void refresh().finally(() => setTimeout(loop, POLL_MS));
  };
  loop();
}
