/**
 * Enforces the org policy: providers, models and tools per group, maximum request size, routes and
 * limits. Runs after the scan stage, so it sees the facts the provider adapters extracted (model, stream)
 * and never forwards a body that was not scanned. Refusals name the rule, the reason and a fix in the
 * provider's error shape; an exhausted limit answers 429 with `Retry-After`.
 */
import type { LimitStore } from '../policy-store/index.js';
import { refusalMessage as refusalText } from '../providers/index.js';
import {
  evaluatePolicy,
  isMcpMessage,
  requestToolNames,
  type CompiledPolicy,
  type LimitObligation,
  type PolicyUser,
} from '../policy/index.js';
import { decodeContent } from './decode.js';
import { refusalMessage, refuse, type RefusalReason } from './refuse.js';
import {
  PassThroughHandler,
  type Dispatch,
  type Exchange,
  type ResponseHandler,
  type Stage,
  type StreamController,
} from './types.js';

/** What the stage needs to know about the policy in force, asked once per request. */
export interface PolicyView {
  /** Undefined when a policy is configured but none valid is available. */
  readonly policy: CompiledPolicy | undefined;
  readonly failureMode: 'closed' | 'open';
  /** Why there is no policy (a stable code), for the refusal. */
  readonly problem?: string;
}

export interface PolicyStageOptions {
  readonly view: () => PolicyView;
  /**
   * The user a request is evaluated for. Groups come from the signed-in user's ID token (issue 5);
   * until then the policy's default group applies.
   */
  readonly user: (exchange: Exchange) => PolicyUser;
  readonly limits: LimitStore;
  readonly now: () => number;
  /** Largest body decoded to look for tool names (the scan stage's limit). */
  readonly maxBodyBytes: number;
}

const inertController: StreamController = { pause() {}, resume() {}, abort() {} };

interface BodyFacts {
  readonly tools: string[];
  /** The body is an MCP JSON-RPC message (or batch). */
  readonly mcp: boolean;
  /** The JSON-RPC id to answer a refused MCP request with. */
  readonly rpcId: string | number | null;
}

const NO_BODY_FACTS: BodyFacts = { tools: [], mcp: false, rpcId: null };

/** Tool names (and whether it is MCP) in the already scanned request body; nothing for non-JSON bodies. */
async function bodyFacts(exchange: Exchange, maxBodyBytes: number): Promise<BodyFacts> {
  if (exchange.body.length === 0) return NO_BODY_FACTS;
  const encoding = exchange.headers['content-encoding'];
  const body = await decodeContent(exchange.body, encoding, maxBodyBytes);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    // Text bodies declare no tools; invalid JSON bodies were refused by the scan stage.
    return NO_BODY_FACTS;
  }
  const mcp = isMcpMessage(json);
  let rpcId: string | number | null = null;
  if (mcp && !Array.isArray(json)) {
    const id = (json as { id?: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') rpcId = id;
  }
  return { tools: requestToolNames(json), mcp, rpcId };
}

/**
 * A refused MCP request: a JSON-RPC error (what MCP clients show), with llmgate's rule, reason and fix, so
 * the tool call fails with the reason instead of a bare transport error.
 */
function refuseMcp(
  exchange: Exchange,
  handler: ResponseHandler,
  refusal: RefusalReason,
  rpcId: string | number | null,
): void {
  exchange.decision = 'block';
  exchange.rules.add(refusal.rule);
  exchange.errorCode = refusal.code;
  exchange.status = refusal.status;
  const llmgate = {
    rule: refusal.rule,
    code: refusal.code,
    reason: refusal.reason,
    fix: refusal.fix,
    requestId: exchange.id,
  };
  const message = refusalText({ ...refusal, requestId: exchange.id });
  const body = Buffer.from(
    JSON.stringify({
      jsonrpc: '2.0',
      id: rpcId,
      error: { code: -32001, message, data: { llmgate } },
      llmgate,
    }),
    'utf8',
  );
  handler.onResponseStart(inertController, refusal.status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-llmgate-request-id': exchange.id.replace(/[^\x21-\x7e]/g, '_'),
    'x-llmgate-rule': refusal.rule.replace(/[^\x21-\x7e]/g, '_'),
  });
  handler.onResponseData(inertController, body);
  handler.onResponseEnd(inertController);
}

function refuseWithHeaders(
  exchange: Exchange,
  handler: ResponseHandler,
  refusal: RefusalReason,
  headers: Record<string, string>,
): void {
  exchange.decision = 'block';
  const message = refusalMessage(exchange, refusal);
  handler.onResponseStart(inertController, message.status, { ...message.headers, ...headers });
  handler.onResponseData(inertController, message.body);
  handler.onResponseEnd(inertController);
}

/**
 * OpenAI chat and completions streams report token usage only when asked (`stream_options.include_usage`);
 * a budget counted from reported usage would otherwise be free to bypass by streaming. When a token
 * budget applies, ask for it: `"stream_options":{"include_usage":true},` is inserted after the body's
 * opening brace, every other byte kept. A body that already has `stream_options` is left as the client
 * wrote it, as is a compressed one (the scan stage forwards those unchanged when nothing was redacted).
 */
function askForStreamUsage(exchange: Exchange): void {
  const api = exchange.match?.api;
  if (!exchange.facts.stream || (api !== 'openai-chat' && api !== 'openai-completions')) return;
  if (exchange.headers['content-encoding'] !== undefined) return;
  let json: unknown;
  try {
    json = JSON.parse(exchange.body.toString('utf8'));
  } catch {
    return;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || 'stream_options' in json) return;
  const brace = exchange.body.indexOf(0x7b);
  if (brace === -1) return;
  const member = Buffer.from(
    '"stream_options":{"include_usage":true}' + (Object.keys(json).length > 0 ? ',' : ''),
  );
  exchange.body = Buffer.concat([
    exchange.body.subarray(0, brace + 1),
    member,
    exchange.body.subarray(brace + 1),
  ]);
}

/** Counts the tokens the response reported, once the tap stage has read them. */
class UsageHandler extends PassThroughHandler {
  constructor(
    inner: ResponseHandler,
    private readonly exchange: Exchange,
    private readonly limits: readonly LimitObligation[],
    private readonly options: PolicyStageOptions,
  ) {
    super(inner);
  }
  override onResponseEnd(controller: StreamController): void {
    super.onResponseEnd(controller);
    const { exchange } = this;
    void Promise.allSettled(exchange.settled).then(() => {
      const usage = exchange.usage;
      const tokens = (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);
      this.options.limits.addTokens(this.limits, tokens, this.options.now());
    });
  }
}

/** Answers a refusal itself and returns undefined, or returns the handler to forward the request with. */
async function enforce(
  exchange: Exchange,
  handler: ResponseHandler,
  options: PolicyStageOptions,
): Promise<ResponseHandler | undefined> {
  const view = options.view();
  const policy = view.policy;
  if (policy === undefined) {
    if (view.failureMode === 'open') return handler;
    refuse(exchange, handler, {
      status: 503,
      rule: 'policy-unavailable',
      code: 'LG_POLICY_UNAVAILABLE',
      reason: `llmgate has no valid org policy in force (${view.problem ?? 'not fetched yet'}), and the policy fails closed.`,
      fix: 'Connect to the network that serves the org policy and run `llmgate policy pull`, or ask IT.',
    });
    return undefined;
  }
  // Provider APIs llmgate knows never carry JSON-RPC; anything else may be an MCP server's.
  const facts =
    policy.usesTools || exchange.match?.api === 'generic-json' || exchange.match === undefined
      ? await bodyFacts(exchange, options.maxBodyBytes)
      : NO_BODY_FACTS;
  if (facts.tools.length > 0) exchange.tools = facts.tools;
  if (facts.mcp) exchange.mcp = true;
  const decision = evaluatePolicy(
    policy,
    {
      user: options.user(exchange),
      host: exchange.target.host,
      ...(exchange.match === undefined ? {} : { provider: exchange.match.provider }),
      ...(exchange.facts.model === undefined ? {} : { model: exchange.facts.model }),
      tools: facts.tools,
      requestBytes: exchange.requestBytes,
      kind: facts.mcp ? 'mcp' : 'llm',
    },
    // Explanations are for `policy explain`; the proxy needs only the decision.
    { explain: false },
  );
  if (decision.refusal !== undefined) {
    const r = decision.refusal;
    const reason = { status: r.status, rule: r.rule, code: r.code, reason: r.reason, fix: r.fix };
    if (facts.mcp) refuseMcp(exchange, handler, reason, facts.rpcId);
    else refuse(exchange, handler, reason);
    return undefined;
  }
  const now = options.now();
  if (decision.limits.length > 0) {
    const check = options.limits.check(decision.limits, now);
    if (!check.ok) {
      const what = check.kind === 'requests-per-minute' ? 'requests per minute' : 'tokens per day';
      refuseWithHeaders(
        exchange,
        handler,
        {
          status: 429,
          rule: check.rule,
          code: 'LG_POLICY_LIMIT',
          reason: `You have used your ${check.limit} ${what} for ${check.model === '*' ? 'this provider' : check.model}.`,
          fix: `Retry in ${check.retryAfterSeconds} seconds, or use another model; \`llmgate status\` shows what is left.`,
        },
        { 'retry-after': String(check.retryAfterSeconds) },
      );
      return undefined;
    }
    options.limits.admit(decision.limits, now);
  }
  if (decision.route !== undefined) {
    exchange.upstreamOrigin = decision.route.upstream.replace(/\/$/, '');
    exchange.rules.add(decision.route.rule);
  }
  const counted = decision.limits.filter((l) => l.tokensPerDay !== undefined);
  if (counted.length > 0) askForStreamUsage(exchange);
  return counted.length === 0 ? handler : new UsageHandler(handler, exchange, counted, options);
}

export function policyStage(options: PolicyStageOptions): Stage {
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    enforce(exchange, handler, options).then(
      (forward) => {
        if (forward !== undefined) next(exchange, forward);
      },
      () => {
        // Evaluation itself cannot fail on valid input; anything unexpected must not forward the request.
        refuse(exchange, handler, {
          status: 500,
          rule: 'policy-failed',
          code: 'LG_POLICY_UNAVAILABLE',
          reason: 'llmgate could not evaluate the policy for this request, so it was not forwarded.',
          fix: 'Retry; if it persists, run `llmgate doctor` and report the request id.',
        });
      },
    );
  };
}
