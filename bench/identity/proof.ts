/**
 * Cost of the identity on one org-backend request: a fresh DPoP proof (what llmgate adds per request)
 * with jose's SignJWT (current) against oauth4webapi's DPoP handle (the alternative: openid-client's own
 * proof code, reached through its internal `addProof`), and the backend's verification.
 */
import { performance } from 'node:perf_hooks';
import * as oauth from 'oauth4webapi';
import {
  ReplayCache,
  SoftwareDeviceKeyStore,
  createProof,
  verifyDpopRequest,
} from '../../core/identity/index.js';
import type { SecretStore } from '../../core/identity/index.js';

class MemoryStore implements SecretStore {
  readonly kind = 'file' as const;
  private readonly map = new Map<string, string>();
  get(name: string): Promise<string | undefined> {
    return Promise.resolve(this.map.get(name));
  }
  set(name: string, value: string): Promise<void> {
    this.map.set(name, value);
    return Promise.resolve();
  }
  delete(name: string): Promise<void> {
    this.map.delete(name);
    return Promise.resolve();
  }
}

async function timeIt(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t) / n) * 1000;
}

export async function runProofBench(): Promise<void> {
  const n = Number(process.env.LLMGATE_BENCH_PROOFS ?? 2000);
  const key = await new SoftwareDeviceKeyStore(new MemoryStore()).loadOrCreate();
  const url = 'https://llm-api.corp.example/v1/chat/completions';
  const token = 'a'.repeat(43);
  const handle = oauth.DPoP({}, key.keyPair) as unknown as {
    addProof(url: URL, headers: Headers, htm: string, accessToken?: string): Promise<void>;
  };
  const target = new URL(url);
  // Alternating rounds, medians: the machine is shared, so one long run of each would measure the load.
  const jose: number[] = [];
  const o4w: number[] = [];
  for (let round = 0; round < 7; round++) {
    jose.push(await timeIt(n, () => createProof(key, { method: 'POST', url, accessToken: token })));
    o4w.push(await timeIt(n, () => handle.addProof(target, new Headers(), 'POST', token)));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const joseUs = median(jose);
  const oauthUs = median(o4w);
  const cache = new ReplayCache();
  const proofs = await Promise.all(
    Array.from({ length: n }, () => createProof(key, { method: 'POST', url, accessToken: token })),
  );
  let i = 0;
  const verifyUs = await timeIt(n - 200, () =>
    verifyDpopRequest({
      method: 'POST',
      url,
      authorization: `DPoP ${token}`,
      dpop: proofs[i++]!,
      resolveToken: () =>
        Promise.resolve({
          active: true,
          sub: 'alice',
          aud: 'https://backend.example',
          cnf: { jkt: key.thumbprint },
        }),
      audience: 'https://backend.example',
      replayCache: cache,
    }),
  );
  console.log(`\nDPoP proofs (ES256; median of 7 alternating rounds of ${n})`);
  console.log(
    '| sign: jose SignJWT (current) | sign: oauth4webapi DPoP handle | verify (backend helper, token resolver cached) |',
  );
  console.log('|---:|---:|---:|');
  console.log(`| ${joseUs.toFixed(1)} µs | ${oauthUs.toFixed(1)} µs | ${verifyUs.toFixed(1)} µs |`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runProofBench();
