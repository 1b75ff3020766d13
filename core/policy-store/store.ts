/**
 * Where the policy in force comes from: the org policy (a JWS fetched from `policy.url` with conditional
 * requests, verified against the pinned JWKS, the last good one cached on disk and used offline), a local
 * policy file (only when no org policy is configured), or the embedded default. The I/O half of
 * `core/policy/`, which stays pure.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { Config } from '../config/index.js';
import { LlmgateError, PolicyError, type LlmgateErrorCode } from '../errors.js';
import {
  EMBEDDED_POLICY,
  checkFreshness,
  compilePolicy,
  jwksSchema,
  parsePolicyDocument,
  verifyPolicyJws,
  type CompiledPolicy,
  type PolicyDocument,
} from '../policy/index.js';

export type PolicySource = 'org' | 'local-file' | 'embedded';

export interface PolicyProblem {
  readonly code: LlmgateErrorCode;
  readonly message: string;
  readonly at: string;
}

/** The policy in force (or why there is none), as `policy show` and `status` report it. */
export interface PolicySnapshot {
  readonly source: PolicySource;
  /** Undefined when an org policy is configured but none valid is available: failure mode applies. */
  readonly policy: CompiledPolicy | undefined;
  readonly signature: 'verified' | 'unsigned' | 'none';
  readonly kid: string | undefined;
  readonly url: string | undefined;
  /** Last time the org policy was fetched and found current (200 verified, or 304). */
  readonly fetchedAt: string | undefined;
  readonly failureMode: 'closed' | 'open';
  /** The last problem (a failed fetch while the cached policy is used, a refused update). */
  readonly lastError: PolicyProblem | undefined;
}

const metaSchema = z.strictObject({
  etag: z.string().optional(),
  fetchedAt: z.string().optional(),
  seen: z.strictObject({ version: z.int().min(1), digest: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});
type Meta = z.infer<typeof metaSchema>;

export interface PolicyStoreOptions {
  readonly config: Config;
  /** Directory of config.json: relative `policy.file` and `policy.keys` resolve against it. */
  readonly configDir: string;
  /** Directory for the cached last good policy and its metadata. */
  readonly cacheDir: string;
  /** Clock, injected so tests can move it. */
  readonly now?: () => Date;
  /** For an https policy url with a private CA (the daemon passes its upstream agent). */
  readonly dispatcher?: Dispatcher;
  readonly fetchTimeoutMs?: number;
}

export interface RefreshResult {
  readonly changed: boolean;
  readonly error?: PolicyProblem;
}

/** Largest policy document fetched: a 10,000-rule policy is far below this. */
const MAX_POLICY_BYTES = 8 << 20;

async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The URL without query, fragment or credentials: a policy URL may carry an access token. */
function safeUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

function parseJwks(value: unknown, where: string): JSONWebKeySet {
  const parsed = jwksSchema.safeParse(value);
  if (!parsed.success) {
    throw new PolicyError(
      'LG_POLICY_INVALID',
      `${where} is not a public JWKS: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  return parsed.data as JSONWebKeySet;
}

function problemOf(err: unknown, now: Date): PolicyProblem {
  const code: LlmgateErrorCode = LlmgateError.is(err) ? err.code : 'LG_POLICY_FETCH_FAILED';
  return { code, message: (err as Error).message, at: now.toISOString() };
}

export class PolicyStore {
  private readonly now: () => Date;
  private readonly settings: Config['policy'];
  private readonly cacheFile: string;
  private readonly metaFile: string;
  private jwks: JSONWebKeySet | undefined;
  private meta: Meta = {};
  private current: CompiledPolicy | undefined;
  private source: PolicySource = 'embedded';
  private signature: PolicySnapshot['signature'] = 'none';
  private kid: string | undefined;
  private lastError: PolicyProblem | undefined;
  /** The last org policy known, even if expired: its failure mode applies when it can no longer be used. */
  private lastFailureMode: 'closed' | 'open' | undefined;

  constructor(private readonly options: PolicyStoreOptions) {
    this.now = options.now ?? (() => new Date());
    this.settings = options.config.policy;
    this.cacheFile = path.join(options.cacheDir, 'org-policy.jws');
    this.metaFile = path.join(options.cacheDir, 'org-policy.meta.json');
  }

  /** Reads keys, the local policy file or the cached org policy. Config mistakes throw; a bad cache does not. */
  async load(): Promise<void> {
    const settings = this.settings;
    if (settings === undefined || (settings.url === undefined && settings.file === undefined)) {
      this.current = compilePolicy(EMBEDDED_POLICY);
      this.source = 'embedded';
      return;
    }
    if (settings.file !== undefined) {
      const file = path.resolve(this.options.configDir, settings.file);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        throw new PolicyError(
          'LG_POLICY_INVALID',
          `policy.file ${file} cannot be read as JSON: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      this.current = compilePolicy(parsePolicyDocument(json, `policy.file ${file}`));
      this.source = 'local-file';
      this.signature = 'unsigned';
      return;
    }
    this.source = 'org';
    await mkdir(this.options.cacheDir, { recursive: true, mode: 0o700 });
    this.jwks = await this.loadKeys();
    const metaText = await readOptional(this.metaFile);
    if (metaText !== undefined) {
      const parsed = metaSchema.safeParse(JSON.parse(metaText) as unknown);
      // A damaged metadata file loses only the ETag; `seen` then restarts from the cached policy.
      if (parsed.success) this.meta = parsed.data;
    }
    const cached = await readOptional(this.cacheFile);
    if (cached !== undefined) {
      try {
        await this.accept(cached, { fromCache: true });
      } catch (err) {
        this.lastError = problemOf(err, this.now());
      }
    }
  }

  private async loadKeys(): Promise<JSONWebKeySet> {
    const keys = this.settings?.keys;
    if (keys === undefined)
      throw new PolicyError('LG_POLICY_INVALID', 'policy.keys is required with policy.url');
    if (typeof keys === 'string' && /^https?:\/\//i.test(keys)) return this.fetchKeys(keys);
    let value: unknown = keys;
    if (typeof keys === 'string') {
      const file = path.resolve(this.options.configDir, keys);
      try {
        value = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        throw new PolicyError(
          'LG_POLICY_INVALID',
          `policy.keys ${file} cannot be read as a JWKS: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
    return parseJwks(value, 'policy.keys');
  }

  /**
   * Keys published at a URL (the contract allows "JWKS file or URL"): fetched when the daemon starts and
   * cached, so a restart offline still verifies the cached policy. A failure with no cached keys leaves
   * no key to verify with: the policy is unavailable and the failure mode applies.
   */
  private async fetchKeys(url: string): Promise<JSONWebKeySet> {
    const cache = path.join(this.options.cacheDir, 'org-keys.jwks.json');
    try {
      const response = await undiciFetch(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 15_000),
        ...(this.options.dispatcher === undefined ? {} : { dispatcher: this.options.dispatcher }),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new PolicyError('LG_POLICY_FETCH_FAILED', `the key server answered ${response.status}`);
      }
      const jwks = parseJwks(JSON.parse(await response.text()) as unknown, `the keys at ${safeUrl(url)}`);
      await writeAtomic(cache, JSON.stringify(jwks));
      return jwks;
    } catch (err) {
      this.lastError = problemOf(
        LlmgateError.is(err)
          ? err
          : new PolicyError(
              'LG_POLICY_FETCH_FAILED',
              `cannot fetch the policy keys from ${safeUrl(url)}: ${(err as Error).message}`,
            ),
        this.now(),
      );
      const cached = await readOptional(cache);
      if (cached === undefined) return { keys: [] };
      return parseJwks(JSON.parse(cached) as unknown, 'the cached policy keys');
    }
  }

  /** Verifies a JWS and makes it the policy in force; throws a PolicyError when it cannot be used. */
  private async accept(jws: string, how: { fromCache: boolean; etag?: string }): Promise<boolean> {
    const now = this.now();
    const verified = await verifyPolicyJws(jws, { jwks: this.jwks!, now, seen: this.meta.seen });
    this.lastFailureMode = verified.document.failureMode;
    const changed =
      this.current === undefined ||
      this.meta.seen?.digest !== verified.digest ||
      this.current.document.version !== verified.document.version;
    this.current = compilePolicy(verified.document);
    this.signature = 'verified';
    this.kid = verified.kid;
    if (!how.fromCache) {
      this.meta = {
        ...(how.etag === undefined ? {} : { etag: how.etag }),
        fetchedAt: now.toISOString(),
        seen: { version: verified.document.version, digest: verified.digest },
      };
      await writeAtomic(this.cacheFile, jws);
      await writeAtomic(this.metaFile, JSON.stringify(this.meta));
    } else if (this.meta.seen === undefined) {
      this.meta = { ...this.meta, seen: { version: verified.document.version, digest: verified.digest } };
    }
    return changed;
  }

  /**
   * Fetches the org policy (If-None-Match with the last ETag). A failure keeps the last good policy in
   * force and is reported, never thrown: the caller decides what to log.
   */
  async refresh(): Promise<RefreshResult> {
    const url = this.settings?.url;
    if (this.source !== 'org' || url === undefined) return { changed: false };
    const now = this.now();
    try {
      const headers: Record<string, string> = { accept: 'application/jose, text/plain' };
      // Only send the ETag while the policy it names is still in force; otherwise ask for it in full.
      if (this.meta.etag !== undefined && this.current !== undefined)
        headers['if-none-match'] = this.meta.etag;
      let response: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        response = await undiciFetch(url, {
          headers,
          redirect: 'error',
          signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 15_000),
          ...(this.options.dispatcher === undefined ? {} : { dispatcher: this.options.dispatcher }),
        });
      } catch (err) {
        throw new PolicyError(
          'LG_POLICY_FETCH_FAILED',
          `cannot fetch the org policy from ${safeUrl(url)}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      if (response.status === 304) {
        await response.body?.cancel();
        this.meta = { ...this.meta, fetchedAt: now.toISOString() };
        await writeAtomic(this.metaFile, JSON.stringify(this.meta));
        this.lastError = undefined;
        return { changed: false };
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new PolicyError('LG_POLICY_FETCH_FAILED', `the org policy server answered ${response.status}`);
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > MAX_POLICY_BYTES) {
        await response.body?.cancel();
        throw new PolicyError('LG_POLICY_INVALID', `the org policy is larger than ${MAX_POLICY_BYTES} bytes`);
      }
      const text = await response.text();
      if (text.length > MAX_POLICY_BYTES) {
        throw new PolicyError('LG_POLICY_INVALID', `the org policy is larger than ${MAX_POLICY_BYTES} bytes`);
      }
      const etag = response.headers.get('etag') ?? undefined;
      const changed = await this.accept(text, { fromCache: false, ...(etag === undefined ? {} : { etag }) });
      this.lastError = undefined;
      return { changed };
    } catch (err) {
      const problem = problemOf(err, now);
      this.lastError = problem;
      return { changed: false, error: problem };
    }
  }

  /** The policy in force at `now` (an org policy that has expired since it was accepted is no longer). */
  snapshot(now: Date = this.now()): PolicySnapshot {
    let policy = this.current;
    let lastError = this.lastError;
    if (policy !== undefined && this.source === 'org') {
      try {
        checkFreshness(policy.document, this.meta.seen?.digest ?? '', now, undefined);
      } catch (err) {
        policy = undefined;
        lastError = problemOf(err, now);
      }
    }
    return {
      source: this.source,
      policy,
      signature: this.signature,
      kid: this.kid,
      url: this.settings?.url,
      fetchedAt: this.meta.fetchedAt,
      failureMode: this.lastFailureMode ?? this.settings?.failureMode ?? 'closed',
      lastError,
    };
  }

  /** The document in force, or undefined. */
  document(now?: Date): PolicyDocument | undefined {
    return this.snapshot(now).policy?.document;
  }
}
