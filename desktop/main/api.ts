/**
 * The main-process side of the status window's API (desktop/shared/api.ts): each call answered through the
 * control API client and the few OS services main.ts passes in (browser, clipboard, login items, settings
 * file). A plain module, so tests drive it against a real daemon without Electron.
 */
import type { ControlClient } from '../../core/control/index.js';
import { LlmgateError } from '../../core/errors.js';
import {
  SHELL_SETUP,
  type DesktopApi,
  type Settings,
  type SignInResult,
  type StatusView,
} from '../shared/api.js';
import type { DaemonSupervisor } from './supervisor.js';

export interface DesktopServices {
  readonly client: Pick<ControlClient, 'events' | 'loginStart' | 'loginWait' | 'logout'>;
  readonly supervisor: Pick<DaemonSupervisor, 'check'>;
  /** Opens a URL in the system browser (sign-in runs there, never in an app window). */
  readonly openExternal: (url: string) => Promise<void>;
  readonly writeClipboard: (text: string) => void;
  readonly loadSettings: () => Promise<Settings>;
  readonly saveSettings: (settings: Settings) => Promise<void>;
  /** Applies `startAtLogin` to the OS (Electron's login item settings). */
  readonly applyStartAtLogin: (enabled: boolean) => void;
  /** How long a browser sign-in may take before the app stops waiting. */
  readonly signInTimeoutMs?: number;
}

function failure(err: unknown): SignInResult {
  const message = (err as Error)?.message ?? String(err);
  return { ok: false, message: LlmgateError.is(err) ? `${message} [${err.code}]` : message };
}

export function createDesktopApi(services: DesktopServices): DesktopApi {
  const timeoutMs = services.signInTimeoutMs ?? 10 * 60_000;
  return {
    async status(): Promise<StatusView> {
      const state = await services.supervisor.check();
      if (!state.running) return { running: false, reason: state.reason || 'llmgate is not running.' };
      const events = await services.client.events().then(
        (reply) => reply.events,
        () => [],
      );
      return { running: true, status: state.status, events };
    },

    async signIn(): Promise<SignInResult> {
      try {
        const flow = await services.client.loginStart('browser');
        if (flow.authorizationUrl === undefined)
          return { ok: false, message: 'The daemon gave no sign-in URL.' };
        await services.openExternal(flow.authorizationUrl);
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const reply = await services.client.loginWait(flow.flowId);
          if (reply.state === 'signed-in') {
            return {
              ok: true,
              message: `Signed in as ${reply.identity.user ?? reply.identity.subject ?? 'unknown'}.`,
            };
          }
        }
        return { ok: false, message: 'Sign-in took too long; try again.' };
      } catch (err) {
        return failure(err);
      }
    },

    async signOut(): Promise<SignInResult> {
      try {
        const reply = await services.client.logout();
        return {
          ok: true,
          message: reply.revoked
            ? 'Signed out; the identity provider revoked the session.'
            : 'Signed out on this device; the identity provider could not be told.',
        };
      } catch (err) {
        return failure(err);
      }
    },

    async copyShellSetup(): Promise<string> {
      services.writeClipboard(SHELL_SETUP);
      return SHELL_SETUP;
    },

    settings(): Promise<Settings> {
      return services.loadSettings();
    },

    async updateSettings(change: Partial<Settings>): Promise<Settings> {
      const current = await services.loadSettings();
      const next: Settings = {
        startAtLogin: typeof change.startAtLogin === 'boolean' ? change.startAtLogin : current.startAtLogin,
        notifications:
          typeof change.notifications === 'boolean' ? change.notifications : current.notifications,
      };
      await services.saveSettings(next);
      if (next.startAtLogin !== current.startAtLogin) services.applyStartAtLogin(next.startAtLogin);
      return next;
    },
  };
}
