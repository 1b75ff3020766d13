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

const actionSchema = z.enum(['redact', 'block', 'allow']);
const ruleIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a kebab-case id')
  .describe('Shown in placeholders ([REDACTED:<id>]), findings and audit events.');

const upstreamUrl = z
  .string()
  .refine(isOrigin, 'an origin such as "https://host:port" (no credentials, path or query)');

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
      })
      .prefault({})
      .describe('The local proxy.'),
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
              .default({}),
            rules: z
              .record(z.string(), actionSchema)
              .default({})
              .describe('Action per rule or dictionary id.'),
          })
          .prefault({})
          .describe('What happens to a finding: redact (default), block (refuse the request) or allow.'),
      })
      .prefault({})
      .describe('Detectors: organisation dictionaries, patterns, allowlists and actions.'),
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
