/**
 * Which new audit events become desktop notifications: refusals always matter (the user's tool just got an
 * error), redactions are worth a word. Rate limited so a chatty agent cannot bury the desktop: at most one
 * notification per kind every `minGapMs`, and a burst of events becomes one summary.
 */
import type { RecentEvent } from '../shared/api.js';

export interface Notice {
  readonly kind: 'block' | 'redact';
  readonly title: string;
  readonly body: string;
}

export interface NotifierOptions {
  /** Least time between two notices of the same kind. */
  readonly minGapMs?: number;
}

export class Notifier {
  private lastSeenId: string | undefined;
  private primed = false;
  private readonly lastShown = new Map<Notice['kind'], number>();
  private readonly minGapMs: number;

  constructor(options: NotifierOptions = {}) {
    this.minGapMs = options.minGapMs ?? 30_000;
  }

  /**
   * The notices for events after the last batch seen (the first batch only marks where to start: events from
   * before the tray started are not news). `events` oldest first, as the control API returns them.
   */
  take(events: readonly RecentEvent[], now: number, enabled: boolean): Notice[] {
    let fresh: readonly RecentEvent[] = events;
    if (this.lastSeenId !== undefined) {
      const at = events.findIndex((e) => e.id === this.lastSeenId);
      fresh = at === -1 ? events : events.slice(at + 1);
    }
    const wasPrimed = this.primed;
    this.primed = true;
    if (events.length > 0) this.lastSeenId = (events[events.length - 1] as RecentEvent).id;
    if (!wasPrimed || !enabled) return [];
    const notices: Notice[] = [];
    const blocks = fresh.filter((e) => e.decision === 'block');
    const redactions = fresh.filter((e) => e.decision === 'redact');
    if (blocks.length > 0 && this.due('block', now)) {
      const last = blocks[blocks.length - 1] as RecentEvent;
      const rule = last.rules[0] ?? last.error ?? 'policy';
      notices.push({
        kind: 'block',
        title:
          blocks.length === 1 ? 'llmgate refused a request' : `llmgate refused ${blocks.length} requests`,
        body: `To ${last.host}: rule ${rule}. The tool that sent it got an error saying why.`,
      });
    }
    if (redactions.length > 0 && this.due('redact', now)) {
      const values = redactions.reduce(
        (n, e) => n + Object.values(e.redactions).reduce((a, b) => a + b, 0),
        0,
      );
      const rules = [...new Set(redactions.flatMap((e) => e.rules))].slice(0, 3).join(', ');
      notices.push({
        kind: 'redact',
        title: `llmgate kept ${values} value${values === 1 ? '' : 's'} on this machine`,
        body: `Redacted before sending (${rules}).`,
      });
    }
    return notices;
  }

  private due(kind: Notice['kind'], now: number): boolean {
    const last = this.lastShown.get(kind);
    if (last !== undefined && now - last < this.minGapMs) return false;
    this.lastShown.set(kind, now);
    return true;
  }
}
