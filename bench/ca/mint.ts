/** Leaf minting cost: first mint (with the process's leaf key), each new host, and a cached lookup. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadOrCreateCa } from '../../core/ca/index.js';

export async function runMintBench(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lg-bench-ca-'));
  try {
    const ca = await loadOrCreateCa({
      certPath: path.join(dir, 'ca.pem'),
      keyPath: path.join(dir, 'ca.key'),
      permittedHosts: ['openai.azure.com'],
    });
    let t = performance.now();
    await ca.secureContextFor('first.openai.azure.com');
    const firstMs = performance.now() - t;
    const n = 200;
    t = performance.now();
    for (let i = 0; i < n; i++) await ca.secureContextFor(`h${i}.openai.azure.com`);
    const newHostMs = (performance.now() - t) / n;
    const m = 20_000;
    t = performance.now();
    for (let i = 0; i < m; i++) await ca.secureContextFor('first.openai.azure.com');
    const cachedUs = ((performance.now() - t) / m) * 1000;
    console.log('\nleaf certificates (ECDSA P-256)');
    console.log('| first mint (incl. leaf key) | new host (avg of 200) | cached lookup (avg of 20,000) |');
    console.log('|---:|---:|---:|');
    console.log(`| ${firstMs.toFixed(2)} ms | ${newHostMs.toFixed(2)} ms | ${cachedUs.toFixed(2)} µs |`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
