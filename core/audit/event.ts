import { z } from 'zod';

/**
 * One audit event per request (PRODUCT.md). It never holds prompt text, secrets or tokens: rules and
 * counts only, and the path without its query string (Gemini puts API keys there).
 */
export const auditEventSchema = z.strictObject({
  id: z.string(),
  time: z.string(),
  /** The signed-in user once SSO lands (issue 5); until then the local OS account as `local:<name>`. */
  user: z.string().nullable(),
  device: z.string(),
  host: z.string(),
  provider: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  model: z.string().nullable(),
  stream: z.boolean(),
  decision: z.enum(['allow', 'redact', 'block']),
  rules: z.array(z.string()),
  redactions: z.record(z.string(), z.number().int().nonnegative()),
  status: z.number().int().nullable(),
  /** Stable llmgate code when the request was refused or failed. */
  error: z.string().nullable(),
  latencyMs: z.number().nonnegative(),
  bytes: z.strictObject({
    request: z.number().int().nonnegative(),
    response: z.number().int().nonnegative(),
  }),
  usage: z
    .strictObject({
      inputTokens: z.number().int().nonnegative().optional(),
      outputTokens: z.number().int().nonnegative().optional(),
    })
    .nullable(),
  /**
   * Tool names the request declared or called, when it had any (function tools of an LLM request, or the
   * tool of an MCP `tools/call`); `mcp` is true for a request to an MCP server. Absent otherwise.
   */
  tools: z.array(z.string()).optional(),
  mcp: z.boolean().optional(),
  /**
   * The request text as forwarded, every redaction applied, when `audit.content.capture` is on (absent
   * otherwise, and for refused requests). Cut at `audit.content.maxBytes`.
   */
  content: z.string().optional(),
  /** The hash chain (chain.ts): the previous event's `hash`, and this event's. */
  prevHash: z.string().nullable(),
  hash: z.string().nullable(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditEventInput = Omit<AuditEvent, 'prevHash' | 'hash'>;
