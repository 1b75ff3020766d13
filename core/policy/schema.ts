/**
 * The org policy document (the payload of the signed JWS, or a local policy file). Validated strictly
 * once, where it enters; everything inside trusts the parsed type. docs/policy.schema.json is generated
 * from this schema.
 */
import { z } from 'zod';
import { configSchema } from '../config/schema.js';

const idSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'a kebab-case id')
  .max(128);

/** `*` any run of characters, `?` one character; matched case-insensitively against the whole value. */
const glob = z.string().min(1).max(256);

const allowDeny = z
  .strictObject({
    allow: z
      .array(glob)
      .optional()
      .describe('Globs: when any rule that applies has an allow list, the value must match one of them.'),
    deny: z.array(glob).optional().describe('Globs: a match refuses the request (deny wins over allow).'),
  })
  .refine((v) => v.allow !== undefined || v.deny !== undefined, 'give allow or deny');

const origin = z.url({ protocol: /^https?$/ }).refine((value) => {
  const url = new URL(value);
  return url.username === '' && url.password === '' && url.pathname === '/' && url.search === '';
}, 'an origin such as "https://host:port"');

const hostName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'a lowercase DNS host name');

export const policyRuleSchema = z
  .strictObject({
    id: idSchema.describe('Named in refusals, explanations and audit events.'),
    description: z.string().max(500).optional(),
    groups: z
      .array(z.string().min(1))
      .optional()
      .describe('The rule applies to users in any of these groups (default: everyone).'),
    hosts: z
      .array(glob)
      .optional()
      .describe('The rule applies to requests to these provider ids or hosts (globs; default: all).'),
    providers: allowDeny.optional().describe('Provider ids or hosts (globs) the groups may use.'),
    models: allowDeny.optional().describe('Model names (globs) the groups may use.'),
    tools: allowDeny
      .optional()
      .describe(
        'Tool names (globs): function tools declared in a request, built-in tool types, MCP tool names.',
      ),
    maxRequestBytes: z.int().min(1).optional().describe('Largest request body, in bytes as received.'),
    route: z
      .record(hostName, origin)
      .optional()
      .describe('Provider host → upstream origin (e.g. an on-prem endpoint for sensitive groups).'),
    limits: z
      .strictObject({
        models: z
          .array(glob)
          .optional()
          .describe('Models the limit counts (default: all); counted per model.'),
        requestsPerMinute: z.int().min(0).optional(),
        tokensPerDay: z
          .int()
          .min(0)
          .optional()
          .describe('Input + output tokens that responses report, per UTC day.'),
      })
      .refine(
        (l) => l.requestsPerMinute !== undefined || l.tokensPerDay !== undefined,
        'give requestsPerMinute or tokensPerDay',
      )
      .optional()
      .describe('Per user and per model.'),
    reason: z.string().max(500).optional().describe('Shown to the user when this rule refuses a request.'),
    fix: z.string().max(500).optional().describe('What the user can do instead.'),
  })
  .refine(
    (r) =>
      r.providers !== undefined ||
      r.models !== undefined ||
      r.tools !== undefined ||
      r.maxRequestBytes !== undefined ||
      r.route !== undefined ||
      r.limits !== undefined,
    'a rule needs an effect: providers, models, tools, maxRequestBytes, route or limits',
  );

export const policyDocumentSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: idSchema.describe('The policy id shown in status and audit.'),
    version: z.int().min(1).describe('Only ever goes up: llmgate refuses a lower version than it has seen.'),
    issuedAt: z.iso.datetime({ offset: true }).optional(),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('After this instant the policy is refused; required for a signed org policy.'),
    failureMode: z
      .enum(['closed', 'open'])
      .default('closed')
      .describe('What llmgate does when it cannot evaluate this policy or it has expired: closed refuses.'),
    defaultGroup: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The group of a user who is not signed in (default: config policy.defaultGroup, else "default").',
      ),
    rules: z.array(policyRuleSchema).max(10_000).default([]),
    detect: configSchema.shape.detect
      .optional()
      .describe(
        'Detection actions per category and rule, dictionaries, patterns, allowlists (as in config).',
      ),
    mcp: z
      .strictObject({
        hosts: z
          .array(hostName)
          .default([])
          .describe(
            'MCP servers (streamable HTTP and SSE transports) whose traffic llmgate intercepts: tools/call is checked against the tool rules, arguments are scanned. Takes effect when the daemon starts.',
          ),
      })
      .optional(),
    identity: z
      .strictObject({ audiences: z.array(hostName).default([]) })
      .optional()
      .describe("Hosts of the organisation's own backends that receive the signed-in identity (issue 5)."),
    audit: z
      .strictObject({ content: z.enum(['off', 'redacted']).default('off') })
      .optional()
      .describe('Audit content capture: off, or the redacted prompt text only.'),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'id'],
          message: `duplicate rule id "${rule.id}"`,
        });
      }
      seen.add(rule.id);
    });
  })
  .describe('llmgate organisation policy.');

export type PolicyDocument = z.output<typeof policyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;
export type PolicyRule = z.output<typeof policyRuleSchema>;

export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(policyDocumentSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
}
