import { z } from 'zod';

const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'a lowercase DNS host name');

/** An origin only: scheme, host and port; no credentials, path, query or fragment. */
function isOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    !/[?#@]/.test(value)
  );
}

const actionSchema = z.enum(['redact', 'pseudonymize', 'block', 'allow']);

/**
 * What each category's findings get when neither config nor the org policy says: secrets and custom terms
 * redacted, PII pseudonymized (reversible stand-ins). Kept apart from the schema's defaults so that an
 * explicit setting can be told from an unset one (the org policy's "local may only tighten" needs it).
 */
export const EMBEDDED_CATEGORY_ACTIONS = { secret: 'redact', pii: 'pseudonymize', custom: 'redact' } as const;
const ruleIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a kebab-case id')
  .describe('Shown in placeholders ([REDACTED:<id>]), findings and audit events.');

const upstreamUrl = z
  .string()
  .refine(isOrigin, 'an origin such as "https://host:port" (no credentials, path or query)');

/** An https URL (the issuer and RFC 8707 resource): tokens never travel over plain HTTP. */
const httpsUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '' && url.hash === '';
  } catch {
    return false;
  }
}, 'an https:// URL without credentials or fragment');

/** Sign-in through the organisation's OpenID Provider (issue 5). */
const oidcSchema = z
  .strictObject({
    issuer: httpsUrl.describe(
      'The OpenID Provider issuer URL (discovery at /.well-known/openid-configuration).',
    ),
    clientId: z
      .string()
      .min(1)
      .describe('Public client id registered for llmgate (a native app: no client secret on a laptop).'),
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope token'))
      .default(['openid', 'profile', 'email', 'offline_access'])
      .describe('Scopes requested at sign-in; include offline_access to get a refresh token.'),
    resource: httpsUrl
      .optional()
      .describe("RFC 8707 resource indicator: the audience of the access token sent to the org's backends."),
    requireSignIn: z
      .boolean()
      .default(true)
      .describe('Refuse proxied requests until the user has signed in (default on when oidc is set).'),
    refreshAheadSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(120)
      .describe('Refresh the access token this long before it expires.'),
    loginTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(300)
      .describe('How long `llmgate login` waits for the browser redirect before giving up.'),
  })
  .describe('OpenID Connect sign-in (authorization code + PKCE, device code), DPoP-bound tokens.');

/** Who receives the signed-in identity (issue 5). */
const identitySchema = z
  .strictObject({
    audiences: z
      .array(hostname)
      .default([])
      .describe(
        "Hosts of the organisation's own backends: intercepted, and every request carries the user's DPoP-bound access token and a fresh DPoP proof.",
      ),
    providerUserHash: z
      .strictObject({
        hosts: z.array(hostname).min(1).describe('Provider hosts that receive the hash.'),
        header: z
          .string()
          .regex(/^x-[a-z0-9-]+$/, 'a lowercase x- header name')
          .default('x-llmgate-user')
          .describe('Request header carrying the hash.'),
      })
      .optional()
      .describe(
        'Send provider hosts a keyed hash (HMAC-SHA256, key kept in the keychain) of the user id instead of no identity at all.',
      ),
    allowPlaintextFileStore: z
      .boolean()
      .default(false)
      .describe(
        'Where no OS keychain exists, keep tokens and the device key in an owner-only file under $LLMGATE_HOME. Weakens device binding: anyone who can read the file can use the identity. Shown as a warning in `llmgate status`.',
      ),
  })
  .prefault({})
  .describe('Where the signed-in identity goes, and how it is stored.');

/** Keys every admin and test relies on (PRODUCT.md). Unknown keys are errors. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    proxy: z
      .strictObject({
        port: z
          .number()
          .int()
          .min(0)
          .max(65535)
          .default(8471)
          .describe('Proxy port on 127.0.0.1; 0 picks a free port.'),
        maxBodyBytes: z
          .number()
          .int()
          .min(1024)
          .max(512 * 1024 * 1024)
          .default(32 * 1024 * 1024)
          .describe('Largest request body (after decompression) llmgate scans; larger requests get 413.'),
        upstreamHeadersTimeoutSeconds: z
          .number()
          .min(0.1)
          .max(86_400)
          .default(600)
          .describe(
            'How long to wait for the provider to start answering (its response headers); then the client gets 504 LG_PROXY_UPSTREAM_TIMEOUT. Long non-streamed completions need minutes.',
          ),
        upstreamIdleTimeoutSeconds: z
          .number()
          .min(0.1)
          .max(86_400)
          .default(300)
          .describe(
            'Longest silence between two chunks of a provider answer; then the connection to the client is cut (never a clean end) and the event is audited with LG_PROXY_UPSTREAM_TIMEOUT.',
          ),
      })
      .prefault({})
      .describe('The local proxy.'),
    audit: z
      .strictObject({
        sink: z
          .strictObject({
            url: z
              .url({ protocol: /^https?$/ })
              .describe('The collector\'s OTLP/HTTP logs endpoint, e.g. "https://otel.example.com/v1/logs".'),
            headers: z
              .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name'), z.string())
              .default({})
              .describe(
                'Headers sent with every export (e.g. an API key the collector requires). Never logged.',
              ),
            intervalSeconds: z
              .number()
              .min(0.05)
              .max(3600)
              .default(10)
              .describe('How long new events wait to be sent with others.'),
            batchSize: z.int().min(1).max(10_000).default(500).describe('Events per export request.'),
            timeoutSeconds: z.number().min(0.1).max(300).default(30).describe('Per export request.'),
            minBackoffSeconds: z
              .number()
              .min(0.05)
              .max(3600)
              .default(1)
              .describe(
                'First retry delay after a failed export; doubles (with jitter) up to maxBackoffSeconds.',
              ),
            maxBackoffSeconds: z.number().min(0.05).max(86_400).default(300),
            maxBacklog: z
              .int()
              .min(1)
              .default(100_000)
              .describe(
                'Unsynced events above which `llmgate status` warns. Events are never dropped: the local log is the record.',
              ),
          })
          .optional()
          .describe(
            'Where audit events are exported (OTLP/HTTP logs, JSON). Without it the audit log stays local.',
          ),
        fsyncEachCommit: z
          .boolean()
          .default(false)
          .describe(
            'Finish each response only after its audit event is fsynced (survives a power cut per request; costs about 0.75 ms a request). Default: written before the response ends (survives a killed daemon), fsynced within 50 ms.',
          ),
        retentionDays: z
          .number()
          .positive()
          .default(90)
          .describe(
            'Local events older than this are pruned; with a sink, never before the collector has them.',
          ),
        content: z
          .strictObject({
            capture: z
              .boolean()
              .default(false)
              .describe(
                'Store the request text in each audit event, after redaction (never for refused requests). Off by default; an org policy will decide this once policies exist.',
              ),
            maxBytes: z
              .int()
              .min(1)
              .max(1024 * 1024)
              .default(64 * 1024)
              .describe('Longest request text stored per event (bytes); the rest is cut.'),
          })
          .prefault({})
          .describe('Content capture in audit events.'),
        checkpoint: z
          .strictObject({
            everyEvents: z.int().min(1).default(1000).describe('A signed checkpoint after this many events.'),
            everySeconds: z
              .number()
              .min(0.05)
              .default(60)
              .describe('...or after this long, when events were written since the last one.'),
          })
          .prefault({})
          .describe('Signed checkpoints over the hash chain.'),
      })
      .prefault({})
      .describe("The local audit log and its export to the organisation's collector."),
    upstreams: z
      .record(hostname, upstreamUrl)
      .default({})
      .describe(
        'Routes a provider host to another endpoint (an on-prem gateway, a test server). A host named here is intercepted too.',
      ),
    detect: z
      .strictObject({
        dictionaries: z
          .array(
            z
              .strictObject({
                id: ruleIdSchema,
                description: z.string().default('Organisation dictionary'),
                category: z.enum(['secret', 'pii', 'custom']).default('custom'),
                terms: z
                  .array(z.string().min(1))
                  .optional()
                  .describe('Terms, matched case-insensitively on word boundaries.'),
                file: z
                  .string()
                  .min(1)
                  .optional()
                  .describe(
                    'A UTF-8 file of terms, one per line (# starts a comment), relative to config.json.',
                  ),
              })
              .refine(
                (d) => (d.terms === undefined) !== (d.file === undefined),
                'give exactly one of terms or file',
              ),
          )
          .default([])
          .describe('Organisation dictionaries: project code names, customer names, internal hosts.'),
        patterns: z
          .array(
            z.strictObject({
              id: ruleIdSchema,
              description: z.string().default('Organisation pattern'),
              category: z.enum(['secret', 'pii', 'custom']).default('custom'),
              pattern: z
                .string()
                .min(1)
                .max(4096)
                .describe(
                  'An RE2 regular expression (no lookarounds or backreferences), so that matching stays linear in the text.',
                ),
              caseInsensitive: z.boolean().default(false),
              group: z
                .int()
                .min(1)
                .optional()
                .describe('The capture group to redact (default: the whole match).'),
              keywords: z
                .array(
                  z
                    .string()
                    .regex(/^[\x20-\x40\x5b-\x7e]+$/, 'a lowercase ASCII literal')
                    .min(1),
                )
                .optional()
                .describe('Literals, one of which must occur for the pattern to run (a prefilter).'),
              minEntropy: z
                .number()
                .min(0)
                .optional()
                .describe('Minimum Shannon entropy (bits per character).'),
              examples: z
                .strictObject({
                  match: z.array(z.string()).default([]),
                  noMatch: z.array(z.string()).default([]),
                })
                .optional()
                .describe(
                  'Texts the pattern must find something in, and near misses it must leave alone: checked when config loads.',
                ),
            }),
          )
          .default([])
          .describe('Organisation patterns: ticket ids, customer numbers, internal host names.'),
        allowlist: z
          .array(
            z
              .strictObject({
                description: z.string().optional(),
                rules: z
                  .array(ruleIdSchema)
                  .optional()
                  .describe('Rule, dictionary or pattern ids it applies to (default: all).'),
                values: z.array(z.string().min(1)).optional().describe('Exact values never reported.'),
                patterns: z
                  .array(z.string().min(1).max(4096))
                  .optional()
                  .describe('RE2 regular expressions: a value matching one anywhere is never reported.'),
              })
              .refine((a) => a.values !== undefined || a.patterns !== undefined, 'give values or patterns'),
          )
          .default([])
          .describe(
            'Values the organisation knows are safe (a public demo key, its own test card number), for every rule or some.',
          ),
        actions: z
          .strictObject({
            categories: z
              .strictObject({
                secret: actionSchema.optional(),
                pii: actionSchema.optional(),
                custom: actionSchema.optional(),
              })
              .prefault({})
              .describe(
                'Action per category; unset: secrets redact, PII pseudonymize, custom redact (EMBEDDED_CATEGORY_ACTIONS).',
              ),
            rules: z
              .record(z.string(), actionSchema)
              .default({})
              .describe('Action per rule or dictionary id.'),
          })
          .prefault({})
          .describe(
            'What happens to a finding: redact (irreversible placeholder), pseudonymize (a stable stand-in, restored to the original in answers), block (refuse the request) or allow.',
          ),
        pseudonyms: z
          .strictObject({
            restoreToolArguments: z
              .boolean()
              .default(true)
              .describe(
                'Restore originals in tool-call arguments too, so local agents act on real values (false: tools get the stand-ins).',
              ),
            idleMinutes: z
              .number()
              .int()
              .min(1)
              .max(7 * 24 * 60)
              .default(240)
              .describe('A stand-in not seen in a request or answer for this long is forgotten.'),
            maxEntries: z
              .number()
              .int()
              .min(100)
              .max(10_000_000)
              .default(100_000)
              .describe('Most stand-ins held in memory; the least recently used go first.'),
          })
          .prefault({})
          .describe("Reversible pseudonyms: held only in the daemon's memory, never on disk."),
      })
      .prefault({})
      .describe('Detectors: organisation dictionaries, patterns, allowlists and actions.'),
    oidc: oidcSchema.optional(),
    identity: identitySchema,
    policy: z
      .strictObject({
        url: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe(
            'Where the organisation publishes its signed policy (a compact JWS); fetched with conditional requests.',
          ),
        file: z
          .string()
          .min(1)
          .optional()
          .describe(
            'A local policy file (JSON, unsigned), relative to config.json. Allowed only when no org policy url is configured.',
          ),
        keys: z
          .union([
            z
              .string()
              .min(1)
              .refine(
                (v) => !/^http:\/\//i.test(v) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(v),
                'keys over plain http only from loopback; use https',
              )
              .describe(
                'A JWKS file relative to config.json, or an https URL (fetched when the daemon starts, cached for offline starts).',
              ),
            z
              .strictObject({ keys: z.array(z.record(z.string(), z.unknown())).min(1) })
              .describe('An inline JWKS.'),
          ])
          .optional()
          .describe(
            "The organisation's public keys (JWKS) that IT installs with the config: the only keys a policy may be signed with.",
          ),
        refreshSeconds: z
          .int()
          .min(30)
          .max(7 * 24 * 3600)
          .default(3600)
          .describe('How often the org policy is fetched again.'),
        defaultGroup: z
          .string()
          .min(1)
          .optional()
          .describe('Group of a user who is not signed in, when the policy names none.'),
        failureMode: z
          .enum(['closed', 'open'])
          .default('closed')
          .describe(
            'When no valid org policy is available (never fetched, expired): closed refuses provider traffic, open lets it through under local settings. Open is a risk.',
          ),
      })
      .refine(
        (p) => !(p.url !== undefined && p.file !== undefined),
        'give url or file, not both: a local policy file is allowed only without an org policy',
      )
      .refine((p) => p.url === undefined || p.keys !== undefined, 'an org policy url needs pinned keys')
      .optional()
      .describe('Organisation policy: models, tools, routes and limits per group (docs/policy.schema.json).'),
    upstreamCaFile: z
      .string()
      .min(1)
      .optional()
      .describe('PEM file of roots trusted for upstream TLS in addition to the system roots.'),
  })
  .describe('llmgate configuration ($LLMGATE_HOME/config.json).');

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** The published JSON Schema, generated from the same zod schema so the two never drift. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
