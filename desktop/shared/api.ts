/**
 * The narrow API the preload script exposes to the status window (`window.llmgate`), and the IPC channels it
 * travels on. The renderer gets these calls and nothing else: no Node, no ipcRenderer, no file system.
 */
// The protocol module alone (types only): the renderer must not pull in the socket client.
import type { EventsReply, StatusReply } from '../../core/control/protocol.js';

export type RecentEvent = EventsReply['events'][number];

/** What the status window shows: the daemon's reply, or why there is none. */
export type StatusView =
  | { readonly running: true; readonly status: StatusReply; readonly events: readonly RecentEvent[] }
  | { readonly running: false; readonly reason: string };

/** What the user may change from the settings page. */
export interface Settings {
  readonly startAtLogin: boolean;
  readonly notifications: boolean;
}

export interface SignInResult {
  readonly ok: boolean;
  readonly message: string;
}

export interface DesktopApi {
  status(): Promise<StatusView>;
  signIn(): Promise<SignInResult>;
  signOut(): Promise<SignInResult>;
  /** Copies `eval "$(llmgate env)"` to the clipboard; returns the text copied. */
  copyShellSetup(): Promise<string>;
  settings(): Promise<Settings>;
  updateSettings(change: Partial<Settings>): Promise<Settings>;
}

/** One IPC channel per call, prefixed so main can refuse anything else. */
export const CHANNELS = {
  status: 'llmgate:status',
  signIn: 'llmgate:sign-in',
  signOut: 'llmgate:sign-out',
  copyShellSetup: 'llmgate:copy-shell-setup',
  settings: 'llmgate:settings',
  updateSettings: 'llmgate:update-settings',
} as const satisfies Record<keyof DesktopApi, string>;

export const SHELL_SETUP = 'eval "$(llmgate env)"';
