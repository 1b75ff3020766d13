/**
 * The status window's security, following Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security): context isolation, the sandbox, no Node in the
 * renderer, web security on, a strict Content-Security-Policy, a narrow preload API, no remote content (the
 * window loads only the app's own `llmgate://app/` pages), no navigation, no new windows, no permissions.
 * Plain values and functions over Electron's types, so a test can assert them without an Electron binary.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** The custom scheme the renderer is served from (checklist: use a custom protocol, not file://). */
export const APP_SCHEME = 'llmgate';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** No remote anything: scripts and styles from the app itself, images inline at most, no connections. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function statusWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 720,
    height: 640,
    show: false,
    title: 'llmgate',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Only the app's own pages. */
export function isAppUrl(url: string): boolean {
  try {
    return new URL(url).origin === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

/** Refuses every permission request (camera, notifications from the page, clipboard reads...) and sets the CSP header. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

/** No navigation away from the app, no new windows, no webviews. Links to the web are not followed. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
