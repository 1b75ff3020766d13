/**
 * The tray icon and its menu as plain values, drawn from the control API's replies through the one summary
 * every face shares (`protectionOf`). main.ts turns them into Electron objects; tests read them as data.
 */
import type { Protection, ProtectionState, StatusReply } from '../../core/control/index.js';
import type { Settings } from '../shared/api.js';

export interface TrayView {
  /** File name (without extension) of the icon under desktop/assets. */
  readonly icon: `tray-${ProtectionState}`;
  readonly tooltip: string;
}

export function trayView(protection: Protection): TrayView {
  return { icon: `tray-${protection.state}`, tooltip: `llmgate: ${protection.headline}` };
}

export type MenuAction =
  | 'sign-in'
  | 'sign-out'
  | 'open-status'
  | 'copy-shell-setup'
  | 'toggle-start-at-login'
  | 'start-daemon'
  | 'quit';

export type MenuItem =
  | { readonly type: 'label'; readonly label: string }
  | { readonly type: 'separator' }
  | {
      readonly type: 'action';
      readonly action: MenuAction;
      readonly label: string;
      readonly enabled: boolean;
    }
  | {
      readonly type: 'checkbox';
      readonly action: MenuAction;
      readonly label: string;
      readonly checked: boolean;
    };

/**
 * The menu for a state. Sign in appears only where sign-in is configured and not done, sign out only when
 * signed in; a daemon that is down offers to start it, since nothing else works until it runs.
 */
export function menuModel(
  protection: Protection,
  status: StatusReply | undefined,
  settings: Settings,
): readonly MenuItem[] {
  const items: MenuItem[] = [{ type: 'label', label: protection.headline }];
  const identity = status?.identity ?? null;
  if (identity !== null && identity.signedIn)
    items.push({ type: 'label', label: `Signed in as ${identity.user ?? identity.subject ?? 'unknown'}` });
  items.push({ type: 'separator' });
  if (status === undefined) {
    items.push({ type: 'action', action: 'start-daemon', label: 'Start llmgate', enabled: true });
  } else if (identity !== null) {
    items.push(
      identity.signedIn
        ? { type: 'action', action: 'sign-out', label: 'Sign out', enabled: true }
        : { type: 'action', action: 'sign-in', label: 'Sign in…', enabled: identity.store !== 'unavailable' },
    );
  }
  items.push(
    { type: 'action', action: 'open-status', label: 'Status…', enabled: true },
    { type: 'action', action: 'copy-shell-setup', label: 'Copy shell setup', enabled: status !== undefined },
    { type: 'separator' },
    {
      type: 'checkbox',
      action: 'toggle-start-at-login',
      label: 'Start at login',
      checked: settings.startAtLogin,
    },
    { type: 'separator' },
    { type: 'action', action: 'quit', label: 'Quit llmgate tray (the proxy keeps running)', enabled: true },
  );
  return items;
}
