/**
 * Starts the real daemon (proxy, pipeline, audit, control API) in a temporary $LLMGATE_HOME with every
 * provider host routed to the fake provider, whose CA is trusted through `upstreamCaFile`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDaemon, type Daemon } from '../../core/daemon/index.js';
import type { EnvReply } from '../../core/control/index.js';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { createTestPki, type TestPki } from './test-pki.js';

export const ROUTED_HOSTS = [
  'api.openai.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  'myres.openai.azure.com',
  'api.mistral.ai',
  'ollama.com',
] as const;

export interface Harness {
  home: string;
  daemon: Daemon;
  env: EnvReply;
  provider: FakeProvider;
  pki: TestPki;
  /** `Basic ...` value for Proxy-Authorization. */
  proxyAuthorization: string;
  caPem: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Routes that replace or add to the default ones (every `ROUTED_HOSTS` entry → the fake provider). */
  readonly upstreams?: Readonly<Record<string, string>>;
  /** Files written into $LLMGATE_HOME before the daemon starts (name → content). */
  files?: Record<string, string>;
  /** Reuse this PKI (so other test servers, e.g. an IdP, share the CA trusted via upstreamCaFile). */
  readonly pki?: TestPki;
}

/**
 * `extraConfig` is spread over the generated config (so `proxy` replaces `{ port: 0 }` whole);
 * `options.upstreams` is merged into the routes instead, since the fake provider's origin is known only here.
 */
export async function startHarness(
  extraConfig: Record<string, unknown> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const pki = options.pki ?? (await createTestPki());
  const provider = await startFakeProvider(pki);
  const home = await mkdtemp(path.join(os.tmpdir(), 'lg-'));
  const upstreamCaFile = path.join(home, 'fake-provider-ca.pem');
  await writeFile(upstreamCaFile, pki.caPem);
  const upstreams = {
    ...Object.fromEntries(ROUTED_HOSTS.map((host) => [host, provider.origin])),
    ...options.upstreams,
  };
  await writeFile(
    path.join(home, 'config.json'),
    JSON.stringify({ proxy: { port: 0 }, upstreams, upstreamCaFile, ...extraConfig }),
  );
  for (const [name, content] of Object.entries(options.files ?? {}))
    await writeFile(path.join(home, name), content);
  const daemon = await startDaemon({ home });
  const env = daemon.env();
  const url = new URL(env.proxyUrlWithCredentials);
  const caPem = await readFile(env.caCertPath, 'utf8');
  return {
    home,
    daemon,
    env,
    provider,
    pki,
    proxyAuthorization: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`,
    caPem,
    close: async () => {
      await daemon.stop();
      await provider.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
