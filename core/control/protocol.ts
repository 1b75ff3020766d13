/**
 * The control API's documented request and reply types (Tailscale's ipnstate idea): `llmgate status
 * --json` prints exactly `StatusReply`, and the tray app reads the same thing.
 */
import { z } from 'zod';
// The event schema only (not the writer and its worker thread): faces bundle this module.
import { auditEventSchema } from '../audit/event.js';

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

/** The signed-in identity as `llmgate status` shows it (issue 5). Never holds a token. */
export const identityStatusSchema = z.strictObject({
  configured: z.literal(true),
  issuer: z.string(),
  clientId: z.string(),
  /** Requests are refused until sign-in. */
  requireSignIn: z.boolean(),
  signedIn: z.boolean(),
  /** Email, else preferred username, else subject: what audit events record as `user`. */
  user: z.string().nullable(),
  subject: z.string().nullable(),
  name: z.string().nullable(),
  groups: z.array(z.string()),
  /** ISO time the current access token expires; llmgate refreshes it before. */
  expiresAt: z.string().nullable(),
  /** RFC 7638 thumbprint of the device's DPoP key (the tokens' `cnf.jkt`; audit events' `device`). */
  deviceThumbprint: z.string().nullable(),
  /** Where tokens live: the OS keychain, an opted-in plaintext file, or nowhere (no keychain). */
  store: z.enum(['keychain', 'file', 'unavailable']),
  /** Hosts that receive the DPoP-bound token (`identity.audiences`). */
  audiences: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type IdentityStatusReply = z.infer<typeof identityStatusSchema>;
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
  /**
   * Set while the log cannot be written (a full disk, an I/O error): requests are refused meanwhile, and
   * the events of that time are held in memory (`held`) until the log can be written again.
   */
  failure: z
    .strictObject({
      since: z.string(),
      reason: z.string(),
      held: z.number().int().nonnegative(),
      dropped: z.number().int().nonnegative(),
    })
    .nullable(),
  /** Export to the collector; null when `audit.sink` is not configured. */
  sync: syncStateSchema.nullable(),
  /** One sentence each: backlog over `audit.sink.maxBacklog`, failed writes. */
  warnings: z.array(z.string()),
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
  /** Sign-in state; null when config has no `oidc` section. */
  identity: identityStatusSchema.nullable(),
  policy: policyStatusSchema,
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

/**
 * The daemon's most recent audit events (this run, oldest first): what the tray and `status --watch` list.
 * As the proxy recorded them, before the audit log chained them (no hashes).
 */
export const eventsReplySchema = z.strictObject({
  events: z.array(auditEventSchema.omit({ prevHash: true, hash: true })),
});
export type EventsReply = z.infer<typeof eventsReplySchema>;
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

export const loginStartRequestSchema = z.strictObject({ method: z.enum(['browser', 'device']) });
export type LoginStartRequest = z.infer<typeof loginStartRequestSchema>;

/** Browser: the URL to open (the loopback listener is already waiting). Device: what the user types where. */
export const loginStartReplySchema = z.strictObject({
  flowId: z.string(),
  method: z.enum(['browser', 'device']),
  authorizationUrl: z.string().optional(),
  verificationUri: z.string().optional(),
  verificationUriComplete: z.string().optional(),
  userCode: z.string().optional(),
  /** ISO time the flow gives up. */
  expiresAt: z.string(),
});
export type LoginStartReply = z.infer<typeof loginStartReplySchema>;

export const loginWaitRequestSchema = z.strictObject({ flowId: z.string().min(1) });
export type LoginWaitRequest = z.infer<typeof loginWaitRequestSchema>;

/** A long poll: `pending` after a while without news; errors carry LG_IDENTITY_* codes. */
export const loginWaitReplySchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('pending') }),
  z.strictObject({ state: z.literal('signed-in'), identity: identityStatusSchema }),
]);
export type LoginWaitReply = z.infer<typeof loginWaitReplySchema>;

export const logoutReplySchema = z.strictObject({
  signedOut: z.literal(true),
  /** The IdP confirmed revocation of the refresh token (RFC 7009). */
  revoked: z.boolean(),
  user: z.string().nullable(),
});
export type LogoutReply = z.infer<typeof logoutReplySchema>;

export const errorReplySchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
