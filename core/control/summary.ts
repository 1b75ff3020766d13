/**
 * What a glance at llmgate should say, from the control API's replies: the one function both faces (the
 * tray icon and `llmgate status --watch`) draw their state from, so they never disagree.
 */
import type { EventsReply, StatusReply } from './protocol.js';

export type ProtectionState = 'down' | 'signed-out' | 'protected' | 'attention';

export interface Protection {
  readonly state: ProtectionState;
  /** One sentence for a tooltip or a header. */
  readonly headline: string;
  /** The refusal that put the state in `attention`, when one did. */
  readonly lastBlock?: { readonly rule: string; readonly time: string; readonly host: string };
}

/** How long a refused request keeps the state in `attention`. */
export const ATTENTION_MS = 5 * 60_000;

type RecentEvent = EventsReply['events'][number];

/**
 * `status` undefined: the daemon does not answer. Sign-in configured but not done: signed out. A refusal in the last five minutes needs the user's
 * attention (their tool got an error they may not understand); otherwise traffic is protected.
 */
export function protectionOf(
  status: StatusReply | undefined,
  events: readonly RecentEvent[],
  now: Date,
): Protection {
  if (status === undefined)
    return { state: 'down', headline: 'llmgate is not running: traffic through it fails until it starts.' };
  if (status.identity !== null && !status.identity.signedIn) {
    return {
      state: 'signed-out',
      headline: status.identity.requireSignIn
        ? 'Signed out: requests are refused until you sign in (llmgate login).'
        : 'Signed out: sign in (llmgate login) so requests carry your identity.',
    };
  }
  if (status.audit.failure !== null) {
    return {
      state: 'attention',
      headline: `Requests are refused: ${status.audit.failure.reason}. llmgate retries every second.`,
    };
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as RecentEvent;
    if (now.getTime() - Date.parse(e.time) > ATTENTION_MS) break;
    if (e.decision === 'block') {
      const rule = e.rules[0] ?? e.error ?? 'policy';
      return {
        state: 'attention',
        headline: `A request to ${e.host} was refused (rule ${rule}).`,
        lastBlock: { rule, time: e.time, host: e.host },
      };
    }
  }
  return { state: 'protected', headline: 'Protected: requests to AI providers are scanned and audited.' };
}
