/**
 * Request and token counters for policy limits, per rule, user and model, in fixed windows (a minute for
 * requests, a UTC day for tokens). Counted in memory on the request path; written to SQLite in one
 * transaction after the current tick, so a restart does not reset a budget and no request waits on disk.
 */
import Database from 'better-sqlite3';
import type { LimitObligation } from '../policy/index.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

type Kind = 'rpm' | 'tpd';

interface Counter {
  readonly kind: Kind;
  readonly key: string;
  readonly rule: string;
  readonly user: string;
  readonly model: string;
  window: number;
  used: number;
  limit: number;
}

export type LimitCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly rule: string;
      readonly kind: 'requests-per-minute' | 'tokens-per-day';
      readonly limit: number;
      readonly model: string;
      readonly retryAfterSeconds: number;
    };

/** What is left of one budget, for `llmgate status`. */
export interface LimitUsage {
  readonly rule: string;
  readonly user: string;
  readonly model: string;
  readonly kind: 'requests-per-minute' | 'tokens-per-day';
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  readonly resetsAt: string;
}

export interface LimitStore {
  /** Whether every limit still has room at `now` (counts nothing). */
  check(limits: readonly LimitObligation[], now: number): LimitCheck;
  /** Counts one request toward every limit. */
  admit(limits: readonly LimitObligation[], now: number): void;
  /** Counts the tokens a response reported. */
  addTokens(limits: readonly LimitObligation[], tokens: number, now: number): void;
  /** Budgets in their current window, for one user (all users when omitted). */
  usage(now: number, user?: string): LimitUsage[];
  close(): void;
}

function windowOf(kind: Kind, now: number): number {
  return Math.floor(now / (kind === 'rpm' ? MINUTE : DAY));
}

function windowEnd(kind: Kind, window: number): number {
  return (window + 1) * (kind === 'rpm' ? MINUTE : DAY);
}

const KIND_NAME: Readonly<Record<Kind, LimitUsage['kind']>> = {
  rpm: 'requests-per-minute',
  tpd: 'tokens-per-day',
};

export function openLimitStore(file: string, now: number = Date.now()): LimitStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS usage (
    kind TEXT NOT NULL, key TEXT NOT NULL, window INTEGER NOT NULL,
    rule TEXT NOT NULL, user TEXT NOT NULL, model TEXT NOT NULL,
    used INTEGER NOT NULL, lim INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
  )`);
  // Counters of past windows can never count again.
  db.prepare('DELETE FROM usage WHERE (kind = ? AND window < ?) OR (kind = ? AND window < ?)').run(
    'rpm',
    windowOf('rpm', now),
    'tpd',
    windowOf('tpd', now),
  );
  const counters = new Map<string, Counter>();
  for (const row of db.prepare('SELECT kind, key, window, rule, user, model, used, lim FROM usage').all() as {
    kind: Kind;
    key: string;
    window: number;
    rule: string;
    user: string;
    model: string;
    used: number;
    lim: number;
  }[]) {
    counters.set(`${row.kind}\u0000${row.key}`, { ...row, limit: row.lim });
  }
  const upsert = db.prepare(
    `INSERT INTO usage (kind, key, window, rule, user, model, used, lim) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, key) DO UPDATE SET window = excluded.window, used = excluded.used, lim = excluded.lim`,
  );
  const dirty = new Set<Counter>();
  let scheduled = false;
  let closed = false;
  const flush = db.transaction(() => {
    for (const c of dirty) upsert.run(c.kind, c.key, c.window, c.rule, c.user, c.model, c.used, c.limit);
    dirty.clear();
  });
  const scheduleFlush = (): void => {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (!closed) flush();
    });
  };

  /** The counter of one limit in the current window (a new window starts at zero). */
  const counter = (kind: Kind, limit: LimitObligation, max: number, now: number): Counter => {
    const id = `${kind}\u0000${limit.key}`;
    const window = windowOf(kind, now);
    let c = counters.get(id);
    if (c === undefined) {
      c = {
        kind,
        key: limit.key,
        rule: limit.rule,
        user: limit.user,
        model: limit.model,
        window,
        used: 0,
        limit: max,
      };
      counters.set(id, c);
    } else if (c.window !== window) {
      c.window = window;
      c.used = 0;
    }
    c.limit = max;
    return c;
  };

  return {
    check(limits, now) {
      for (const limit of limits) {
        for (const [kind, max] of [
          ['rpm', limit.requestsPerMinute],
          ['tpd', limit.tokensPerDay],
        ] as const) {
          if (max === undefined) continue;
          const c = counter(kind, limit, max, now);
          if (c.used >= max) {
            return {
              ok: false,
              rule: limit.rule,
              kind: KIND_NAME[kind],
              limit: max,
              model: limit.model,
              retryAfterSeconds: Math.max(1, Math.ceil((windowEnd(kind, c.window) - now) / 1000)),
            };
          }
        }
      }
      return { ok: true };
    },
    admit(limits, now) {
      for (const limit of limits) {
        if (limit.requestsPerMinute === undefined) continue;
        const c = counter('rpm', limit, limit.requestsPerMinute, now);
        c.used++;
        dirty.add(c);
      }
      scheduleFlush();
    },
    addTokens(limits, tokens, now) {
      if (!(tokens > 0)) return;
      for (const limit of limits) {
        if (limit.tokensPerDay === undefined) continue;
        const c = counter('tpd', limit, limit.tokensPerDay, now);
        c.used += tokens;
        dirty.add(c);
      }
      scheduleFlush();
    },
    usage(now, user) {
      const out: LimitUsage[] = [];
      for (const c of counters.values()) {
        if (user !== undefined && c.user !== user) continue;
        const current = c.window === windowOf(c.kind, now);
        const used = current ? c.used : 0;
        const window = current ? c.window : windowOf(c.kind, now);
        out.push({
          rule: c.rule,
          user: c.user,
          model: c.model,
          kind: KIND_NAME[c.kind],
          limit: c.limit,
          used,
          remaining: Math.max(0, c.limit - used),
          resetsAt: new Date(windowEnd(c.kind, window)).toISOString(),
        });
      }
      return out.sort(
        (a, b) =>
          a.rule.localeCompare(b.rule) || a.model.localeCompare(b.model) || a.kind.localeCompare(b.kind),
      );
    },
    close() {
      if (closed) return;
      flush();
      closed = true;
      db.close();
    },
  };
}
