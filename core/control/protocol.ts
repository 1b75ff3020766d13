/**
 * The control API's documented request and reply types (Tailscale's ipnstate idea): `llmgate status
 * --json` prints exactly `StatusReply`, and the tray app reads the same thing.
 */
import { z } from 'zod';

export const countersSchema = z.strictObject({
  /** Requests to provider hosts that went through the pipeline. */
  requests: z.number().int().nonnegative(),
  /** Values redacted, summed over requests. */
  redactions: z.number().int().nonnegative(),
  /** Requests refused (policy blocks, unscannable or oversize bodies). */
  blocks: z.number().int().nonnegative(),
  /** Requests that failed upstream. */
  errors: z.number().int().nonnegative(),
  /** Connections to non-provider hosts passed through untouched. */
  tunnels: z.number().int().nonnegative(),
});

const syncStateSchema = z.strictObject({
  /** The collector endpoint (origin and path only). */
  url: z.string(),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastResult: z.enum(['ok', 'error']).nullable(),
  /** `HTTP 503`, a network error code: never a header or a body. */
  lastError: z.string().nullable(),
  consecutiveFailures: z.number().int().nonnegative(),
  nextAttemptAt: z.string().nullable(),
  /** Records the collector reported as rejected (OTLP partial success). */
  rejected: z.number().int().nonnegative(),
});

export const auditStatusSchema = z.strictObject({
  path: z.string(),
  /** Events recorded since the daemon started. */
  events: z.number().int().nonnegative(),
  /** Events the collector has not accepted yet (0 without `audit.sink`). */
  backlog: z.number().int().nonnegative(),
  /** Newest event and newest signed checkpoint (`seq`). */
  lastSeq: z.number().int().nonnegative(),
  checkpointSeq: z.number().int().nonnegative(),
  writeErrors: z.number().int().nonnegative(),
  /** Export to the collector; null when `audit.sink` is not configured. */
  sync: syncStateSchema.nullable(),
  /** One sentence each: backlog over `audit.sink.maxBacklog`, failed writes. */
  warnings: z.array(z.string()),
});

export const statusReplySchema = z.strictObject({
  running: z.literal(true),
  version: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  home: z.string(),
  proxy: z.strictObject({ url: z.string(), port: z.number().int() }),
  ca: z.strictObject({ certPath: z.string(), trustBundlePath: z.string(), fingerprintSha256: z.string() }),
  /** Signed-in identity (issue 5); null until then. */
  identity: z.null(),
  policy: z.strictObject({ id: z.string(), version: z.number().int(), source: z.string() }),
  counters: countersSchema,
  audit: auditStatusSchema,
});
export type StatusReply = z.infer<typeof statusReplySchema>;
export type Counters = z.infer<typeof countersSchema>;

/** What `llmgate env` needs. Holds the proxy credential, so it is served only on the owner-only socket. */
export const envReplySchema = z.strictObject({
  proxyUrl: z.string(),
  /** `http://llmgate:<credential>@127.0.0.1:<port>` */
  proxyUrlWithCredentials: z.string(),
  caCertPath: z.string(),
  trustBundlePath: z.string(),
  noProxy: z.array(z.string()),
  /** Base-URL mode: provider prefix → base URL carrying the path token. */
  baseUrls: z.record(z.string(), z.string()),
});
export type EnvReply = z.infer<typeof envReplySchema>;

/** `POST /v1/audit/sync`: export now. */
export const auditSyncReplySchema = z.strictObject({
  ok: z.boolean(),
  sent: z.number().int().nonnegative(),
  backlog: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type AuditSyncReply = z.infer<typeof auditSyncReplySchema>;

export const stopReplySchema = z.strictObject({ stopping: z.literal(true) });
export type StopReply = z.infer<typeof stopReplySchema>;

export const errorReplySchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
