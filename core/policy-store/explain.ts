/**
 * `llmgate policy explain REQUEST.json`: what llmgate would do with a request, and every rule that
 * matched. Runs the same provider adapters, policy evaluation and detectors as the proxy, without a
 * daemon and without sending anything.
 */
import { z } from 'zod';
import type { Detector } from '../detect/index.js';
import { PolicyError } from '../errors.js';
import { scanJsonBody, scanTextBody } from '../pipeline/index.js';
import { genericJsonAdapter, matchProvider } from '../providers/index.js';
import {
  evaluatePolicy,
  isMcpMessage,
  requestToolNames,
  type CompiledPolicy,
  type PolicyDecision,
} from '../policy/index.js';

/** The request file: where it goes, who sends it, and its body (JSON or text). */
export const explainRequestSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).describe('The provider URL the client calls.'),
  user: z
    .strictObject({ id: z.string().min(1).default('explain'), groups: z.array(z.string().min(1)).optional() })
    .optional(),
  body: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string()]).optional(),
});
export type ExplainRequest = z.infer<typeof explainRequestSchema>;

export interface Explanation {
  readonly decision: 'allow' | 'redact' | 'block';
  readonly policy: { readonly id: string; readonly version: number; readonly source: string };
  readonly request: {
    readonly host: string;
    readonly provider: string | null;
    readonly api: string | null;
    readonly model: string | null;
    readonly tools: readonly string[];
    readonly bytes: number;
  };
  readonly groups: readonly string[];
  /** The refusal the client would get, from the policy or a detector set to block. */
  readonly refusal: {
    readonly rule: string;
    readonly status: number;
    readonly code: string;
    readonly reason: string;
    readonly fix: string;
  } | null;
  readonly rules: PolicyDecision['matched'];
  readonly route: NonNullable<PolicyDecision['route']> | null;
  readonly limits: PolicyDecision['limits'];
  readonly findings: readonly { readonly rule: string; readonly category: string; readonly action: string }[];
}

export function parseExplainRequest(value: unknown, source: string): ExplainRequest {
  const result = explainRequestSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PolicyError('LG_POLICY_INVALID', `${source} is not a request to explain:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function explainRequest(
  request: ExplainRequest,
  policy: CompiledPolicy,
  source: string,
  detector: Detector,
  routedHosts: ReadonlySet<string> = new Set(),
): Explanation {
  const url = new URL(request.url);
  const host = url.hostname.toLowerCase();
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const pathAndQuery = `${url.pathname}${url.search}`;
  const match = matchProvider(`${host}:${port}`, pathAndQuery, routedHosts);
  const adapter = match?.adapter ?? genericJsonAdapter;
  const text =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  const buffer = Buffer.from(text, 'utf8');
  const scanned =
    buffer.length === 0
      ? undefined
      : typeof request.body === 'string'
        ? scanTextBody(buffer, detector)
        : scanJsonBody(buffer, adapter, detector);
  const facts = adapter.requestFacts(pathAndQuery, scanned?.topLevel ?? new Map());
  const tools = typeof request.body === 'object' ? requestToolNames(request.body) : [];
  const decision = evaluatePolicy(policy, {
    user: {
      id: request.user?.id ?? 'explain',
      ...(request.user?.groups === undefined ? {} : { groups: request.user.groups }),
    },
    host,
    ...(match === undefined ? {} : { provider: match.provider }),
    ...(facts.model === undefined ? {} : { model: facts.model }),
    tools,
    requestBytes: buffer.length,
    kind: typeof request.body === 'object' && isMcpMessage(request.body) ? 'mcp' : 'llm',
  });
  const findings = (scanned?.findings ?? []).map((f) => ({
    rule: f.rule,
    category: f.category,
    action: f.action,
  }));
  let refusal: Explanation['refusal'] = decision.refusal ?? null;
  if (refusal === null && scanned?.blocked !== undefined) {
    refusal = {
      rule: scanned.blocked.rule,
      status: 403,
      code: 'LG_PIPELINE_BLOCKED',
      reason: `The request contains a ${scanned.blocked.category} that policy does not allow to leave this machine.`,
      fix: 'Remove it from the prompt and send again.',
    };
  }
  return {
    decision: refusal !== null ? 'block' : scanned?.changed === true ? 'redact' : 'allow',
    policy: { id: policy.document.id, version: policy.document.version, source },
    request: {
      host,
      provider: match?.provider ?? null,
      api: match?.api ?? null,
      model: facts.model ?? null,
      tools,
      bytes: buffer.length,
    },
    groups: decision.groups,
    refusal,
    rules: decision.matched,
    route: decision.route ?? null,
    limits: decision.limits,
    findings,
  };
}
