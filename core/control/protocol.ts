/**
 * The control API's documented request and reply types (Tailscale's ipnstate idea): `llmgate status
 * --json` prints exactly `StatusReply`, and the tray app reads the same thing.
 */
import { z } from 'zod';
import { auditEventSchema } from '../audit/index.js';

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
  audit: z.strictObject({
    path: z.string(),
    events: z.number().int().nonnegative(),
    backlog: z.number().int().nonnegative(),
  }),
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

/**
 * The daemon's most recent audit events (this run, oldest first): what the tray and `status --watch` list.
 * As the proxy recorded them, before the audit log chained them (no hashes).
 */
export const eventsReplySchema = z.strictObject({
  events: z.array(auditEventSchema.omit({ prevHash: true, hash: true })),
});
export type EventsReply = z.infer<typeof eventsReplySchema>;

export const stopReplySchema = z.strictObject({ stopping: z.literal(true) });
export type StopReply = z.infer<typeof stopReplySchema>;

export const errorReplySchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
