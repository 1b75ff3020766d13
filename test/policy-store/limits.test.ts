import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLimitStore } from '../../core/policy-store/index.js';
import type { LimitObligation } from '../../core/policy/index.js';

const T0 = Date.parse('2026-06-01T12:00:30Z');
const limit: LimitObligation = {
  rule: 'mini-budget',
  key: 'mini-budget\u0000alice\u0000gpt-4o-mini',
  user: 'alice',
  model: 'gpt-4o-mini',
  requestsPerMinute: 2,
  tokensPerDay: 100,
};

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'lg-limits-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('limits', () => {
  it('refuses the request over the per-minute limit until the next minute, with the seconds to wait', () => {
    const store = openLimitStore(path.join(dir, 'limits.db'), T0);
    for (let i = 0; i < 2; i++) {
      expect(store.check([limit], T0).ok).toBe(true);
      store.admit([limit], T0);
    }
    expect(store.check([limit], T0)).toEqual({
      ok: false,
      rule: 'mini-budget',
      kind: 'requests-per-minute',
      limit: 2,
      model: 'gpt-4o-mini',
      retryAfterSeconds: 30,
    });
    expect(store.check([limit], T0 + 30_000).ok).toBe(true);
    store.close();
  });

  it('counts tokens per UTC day and keeps them across a restart', async () => {
    const file = path.join(dir, 'limits.db');
    const first = openLimitStore(file, T0);
    first.addTokens([limit], 60, T0);
    first.addTokens([limit], 45, T0);
    await tick();
    first.close();
    const second = openLimitStore(file, T0 + 1000);
    const refused = second.check([limit], T0 + 1000);
    expect(refused).toMatchObject({ ok: false, kind: 'tokens-per-day', retryAfterSeconds: 12 * 3600 - 31 });
    expect(second.usage(T0 + 1000, 'alice').find((u) => u.kind === 'tokens-per-day')).toMatchObject({
      used: 105,
      remaining: 0,
      resetsAt: '2026-06-02T00:00:00.000Z',
    });
    expect(second.check([limit], Date.parse('2026-06-02T00:00:01Z')).ok).toBe(true);
    second.close();
  });

  it('shows what is left per user and model', () => {
    const store = openLimitStore(path.join(dir, 'limits.db'), T0);
    store.admit([limit], T0);
    store.addTokens([limit], 30, T0);
    expect(store.usage(T0, 'alice')).toEqual([
      {
        rule: 'mini-budget',
        user: 'alice',
        model: 'gpt-4o-mini',
        kind: 'requests-per-minute',
        limit: 2,
        used: 1,
        remaining: 1,
        resetsAt: '2026-06-01T12:01:00.000Z',
      },
      {
        rule: 'mini-budget',
        user: 'alice',
        model: 'gpt-4o-mini',
        kind: 'tokens-per-day',
        limit: 100,
        used: 30,
        remaining: 70,
        resetsAt: '2026-06-02T00:00:00.000Z',
      },
    ]);
    expect(store.usage(T0, 'bob')).toEqual([]);
    store.close();
  });
});
