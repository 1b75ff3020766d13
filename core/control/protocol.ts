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

/** What is left of one limit for the local user (policy limits, issue 6). */
export const limitUsageSchema = z.strictObject({
  rule: z.string(),
  user: z.string(),
  model: z.string(),
  kind: z.enum(['requests-per-minute', 'tokens-per-day']),
  limit: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  resetsAt: z.string(),
});

const problemSchema = z.strictObject({ code: z.string(), message: z.string() });

/** The policy in force, as `status` shows it. */
export const policyStatusSchema = z.strictObject({
  id: z.string(),
  version: z.number().int(),
  /** `org` (signed, fetched), `local-file` (unsigned, no org policy configured) or `embedded`. */
  source: z.string(),
  /** `unavailable`: an org policy is configured but none valid is in force; `failureMode` applies. */
  state: z.enum(['ok', 'unavailable']),
  signature: z.enum(['verified', 'unsigned', 'none']),
  failureMode: z.enum(['closed', 'open']),
  expiresAt: z.string().nullable(),
  fetchedAt: z.string().nullable(),
  /** Groups the local user is evaluated with. */
  groups: z.array(z.string()),
  /** Budgets of the local user in their current windows. */
  limits: z.array(limitUsageSchema),
  /** The last problem (a failed fetch while the cached policy is used, a refused update). */
  error: problemSchema.nullable(),
});

/** `llmgate policy show`: the policy in force, where it came from and its signature status. */
export const policyShowReplySchema = z.strictObject({
  ...policyStatusSchema.shape,
  url: z.string().nullable(),
  kid: z.string().nullable(),
  /** Local settings that would have loosened the org policy and were not applied. */
  refusedLocalSettings: z.array(z.strictObject({ key: z.string(), reason: z.string() })),
  /** The document in force (null for the embedded default or when none is available). */
  document: z.record(z.string(), z.unknown()).nullable(),
});
export type PolicyShowReply = z.infer<typeof policyShowReplySchema>;

export const policyPullReplySchema = z.strictObject({
  changed: z.boolean(),
  error: problemSchema.nullable(),
  policy: policyShowReplySchema,
});
export type PolicyPullReply = z.infer<typeof policyPullReplySchema>;

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
  policy: policyStatusSchema,
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

export const stopReplySchema = z.strictObject({ stopping: z.literal(true) });
export type StopReply = z.infer<typeof stopReplySchema>;

export const errorReplySchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
