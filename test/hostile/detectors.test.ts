/**
 * Inputs built to make detectors slow (catastrophic backtracking, keyword floods, unterminated blocks):
 * scanning time grows linearly with the input, and the daemon answers such a prompt like any other.
 * Speed itself lives in bench/; the only timing asserted here is the growth ratio.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { createDetector } from '../../core/detect/index.js';
import { proxyAgent, resetRecorded, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  CHAT_HEADERS,
  CHAT_URL,
  chatJson,
  expectNoSecretForwarded,
  expectStillServing,
} from '../support/hostile.js';
import { AWS_KEY } from '../support/secrets.js';

/** Each builds about `n` characters of one hostile pattern. */
const HOSTILE: Record<string, (n: number) => string> = {
  'e-mail fragments': (n) => 'a@'.repeat(n / 2),
  'dotted e-mail local parts': (n) => `${'a.'.repeat(n / 2)}@`,
  'AWS key prefixes': (n) => 'AKIA'.repeat(n / 4),
  'GitHub token prefixes': (n) => 'ghp_'.repeat(n / 4),
  'an unterminated private key': (n) => `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(n)}`,
  'private key headers': (n) => '-----BEGIN RSA PRIVATE KEY-----'.repeat(n / 31),
  'private key headers, each over a line of text': (n) =>
    '-----BEGIN RSA PRIVATE KEY-----\nab!\n'.repeat(n / 37),
  'an unterminated private key of text lines': (n) =>
    `-----BEGIN PRIVATE KEY-----\n${'a-b!\n'.repeat(n / 5)}`,
  'a run of digits': (n) => '4'.repeat(n),
  'digit groups': (n) => '4111 '.repeat(n / 5),
  'URL schemes': (n) => 'postgres://a:'.repeat(n / 13),
  'JWT-like segments': (n) => `eyJ${'a.'.repeat(n / 2)}`,
  'keyword floods': (n) => 'password=api_key=secret:token '.repeat(n / 30),
  'base64 run': (n) => 'QUJD'.repeat(n / 4),
  whitespace: (n) => ' \t\n'.repeat(n / 3),
  'IBAN-like letters and digits': (n) => 'GB82WEST'.repeat(n / 8),
};

function medianMs(run: () => void, times: number): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    run();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(times / 2)]!;
}

describe('detectors on hostile text', () => {
  const detector = createDetector();

  it.each(Object.keys(HOSTILE))('scan %s in time linear in the input', (name) => {
    const make = HOSTILE[name]!;
    const small = make(25_000);
    const large = make(200_000);
    detector.scan(small); // warm up
    const tSmall = medianMs(() => detector.scan(small), 5);
    const tLarge = medianMs(() => detector.scan(large), 5);
    // 8x the input: linear is ~8x; quadratic would be ~64x. Floor the small time so a very fast scan
    // (noise-dominated) cannot fail the ratio.
    expect(tLarge / Math.max(tSmall, 2)).toBeLessThan(24);
  });
});

describe('the daemon with hostile prompts', () => {
  let h: Harness;
  let agent: ProxyAgent;

  beforeAll(async () => {
    h = await startHarness();
    agent = proxyAgent(h);
  });

  afterAll(async () => {
    await agent?.close();
    await h?.close();
  });

  it('answers a 1 MB prompt of every hostile pattern, a secret at its end still redacted', async () => {
    resetRecorded(h);
    const text = Object.values(HOSTILE)
      .map((make) => make(70_000))
      .join('\n');
    const res = await send(agent, CHAT_URL, {
      headers: { ...CHAT_HEADERS },
      body: chatJson(`${text}\nkey ${AWS_KEY}`),
    });
    expect(res.status).toBe(200);
    expect(h.provider.requests).toHaveLength(1);
    expect(h.provider.requests[0]!.body.toString('utf8')).toContain('[REDACTED:aws-access-key-id]');
    expectNoSecretForwarded(h);
    await expectStillServing(h, agent);
  });
});
