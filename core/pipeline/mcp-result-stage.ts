/**
 * Scans what MCP servers answer (issue 6: "arguments and results scanned"): a tool result goes back into
 * the model's context, so a secret in it leaves the machine with the next prompt. Only exchanges the
 * policy stage marked as MCP are touched. A JSON answer is held until complete, scanned and rewritten; an
 * SSE answer (streamable HTTP) is rewritten event by event as it streams. A result with a finding whose
 * action is `block` is replaced by a JSON-RPC error naming the rule. What cannot be scanned (a compressed
 * or oversized answer, JSON that does not parse) is withheld, never passed on unscanned.
 */
import type { Detector } from '../detect/index.js';
import { genericJsonAdapter, refusalMessage as refusalText } from '../providers/index.js';
import { JsonSyntaxError } from './json-walk.js';
import { scanJsonBody, type ScanOutcome } from './scan-body.js';
import {
  PassThroughHandler,
  type Dispatch,
  type Exchange,
  type ResponseHandler,
  type Stage,
  type StreamController,
} from './types.js';
import { contentEncoding } from './decode.js';

export interface McpResultStageOptions {
  readonly detector: Detector;
  /** Largest JSON answer held for scanning; a larger one is withheld. */
  readonly maxBytes: number;
}

type Mode = 'pass' | 'json' | 'sse' | 'withhold';

function rpcIdOf(json: Buffer): string | number | null {
  try {
    const value = JSON.parse(json.toString('utf8')) as unknown;
    const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

class McpResultHandler extends PassThroughHandler {
  private mode: Mode = 'pass';
  private status = 200;
  private headers: Record<string, string | string[]> = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private pending = '';
  private readonly decoder = new TextDecoder();
  private withheldReason = '';

  constructor(
    inner: ResponseHandler,
    private readonly exchange: Exchange,
    private readonly options: McpResultStageOptions,
  ) {
    super(inner);
  }

  override onResponseStart(
    controller: StreamController,
    status: number,
    headers: Record<string, string | string[]>,
  ): void {
    const type = String(headers['content-type'] ?? '').toLowerCase();
    const scannable = type.includes('json') || type.includes('event-stream');
    if (scannable && contentEncoding(headers) !== 'identity') {
      this.mode = 'withhold';
      this.withheldReason = 'The MCP server answered compressed, so llmgate could not scan the result.';
    } else if (type.includes('event-stream')) {
      this.mode = 'sse';
      const { 'content-length': _length, ...rest } = headers;
      super.onResponseStart(controller, status, rest);
      return;
    } else if (type.includes('json')) {
      this.mode = 'json';
    }
    if (this.mode === 'pass') {
      super.onResponseStart(controller, status, headers);
      return;
    }
    this.status = status;
    this.headers = headers;
  }

  override onResponseData(controller: StreamController, chunk: Buffer): void {
    switch (this.mode) {
      case 'pass':
        return super.onResponseData(controller, chunk);
      case 'json':
        this.size += chunk.length;
        if (this.size > this.options.maxBytes) {
          this.mode = 'withhold';
          this.chunks = [];
          this.withheldReason = `The MCP result is larger than ${this.options.maxBytes} bytes, so llmgate did not scan it.`;
        } else {
          this.chunks.push(chunk);
        }
        return;
      case 'sse':
        return this.sse(controller, this.decoder.decode(chunk, { stream: true }), false);
      case 'withhold':
        return;
    }
  }

  override onResponseEnd(controller: StreamController): void {
    if (this.mode === 'json') {
      const body = Buffer.concat(this.chunks);
      const rewritten = this.scanMessage(body);
      if (rewritten === undefined) {
        this.mode = 'withhold';
        this.withheldReason ||= 'The MCP server answered with JSON llmgate could not parse.';
      } else {
        const { 'content-length': _length, ...rest } = this.headers;
        super.onResponseStart(controller, this.status, {
          ...rest,
          'content-length': String(rewritten.length),
        });
        if (rewritten.length > 0) super.onResponseData(controller, rewritten);
        return super.onResponseEnd(controller);
      }
    }
    if (this.mode === 'sse') {
      this.sse(controller, this.decoder.decode(), true);
      return super.onResponseEnd(controller);
    }
    if (this.mode === 'withhold') {
      const body = this.error(null, 'mcp-result-unscannable', this.withheldReason, 'LG_PIPELINE_UNSCANNABLE');
      this.exchange.decision = 'block';
      this.exchange.status = 502;
      super.onResponseStart(controller, 502, {
        'content-type': 'application/json',
        'content-length': String(body.length),
      });
      super.onResponseData(controller, body);
    }
    super.onResponseEnd(controller);
  }

  /** Rewrites complete SSE events; at the end, what is left is one last event. */
  private sse(controller: StreamController, text: string, final: boolean): void {
    this.pending += text;
    let out = '';
    for (;;) {
      const boundary = /\r?\n\r?\n/.exec(this.pending);
      if (boundary === null) break;
      const end = boundary.index + boundary[0].length;
      out += this.sseEvent(this.pending.slice(0, boundary.index)) + boundary[0];
      this.pending = this.pending.slice(end);
    }
    if (final && this.pending !== '') {
      out += this.sseEvent(this.pending);
      this.pending = '';
    }
    if (out !== '') super.onResponseData(controller, Buffer.from(out, 'utf8'));
  }

  private sseEvent(block: string): string {
    const lines = block.split(/\r?\n/);
    const data = lines
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(l.startsWith('data: ') ? 6 : 5));
    if (data.length === 0) return block;
    const rewritten = this.scanMessage(Buffer.from(data.join('\n'), 'utf8'));
    // An event whose data is not JSON is no JSON-RPC message: withhold its data rather than pass it unscanned.
    const payload =
      rewritten ??
      this.error(null, 'mcp-result-unscannable', 'An MCP event was not JSON.', 'LG_PIPELINE_UNSCANNABLE');
    const others = lines.filter((l) => !l.startsWith('data:'));
    return [...others, `data: ${payload.toString('utf8')}`].join('\n');
  }

  /** The message with findings redacted, a JSON-RPC error if one must block, or undefined if not JSON. */
  private scanMessage(body: Buffer): Buffer | undefined {
    if (body.length === 0) return body;
    let outcome: ScanOutcome;
    try {
      outcome = scanJsonBody(body, genericJsonAdapter, this.options.detector);
    } catch (err) {
      if (err instanceof JsonSyntaxError) return undefined;
      throw err;
    }
    const { exchange } = this;
    for (const finding of outcome.findings) {
      exchange.rules.add(finding.rule);
      if (finding.action === 'redact')
        exchange.redactions[finding.rule] = (exchange.redactions[finding.rule] ?? 0) + 1;
    }
    if (outcome.blocked !== undefined) {
      exchange.decision = 'block';
      return this.error(
        rpcIdOf(body),
        outcome.blocked.rule,
        `The MCP result contains a ${outcome.blocked.category} that policy does not allow into a prompt.`,
        'LG_PIPELINE_BLOCKED',
      );
    }
    if (outcome.changed && exchange.decision === 'allow') exchange.decision = 'redact';
    return outcome.body;
  }

  private error(id: string | number | null, rule: string, reason: string, code: string): Buffer {
    const fix = 'Ask the MCP server for a result without it, or ask IT to review the rule.';
    const llmgate = { rule, code, reason, fix, requestId: this.exchange.id };
    this.exchange.rules.add(rule);
    this.exchange.errorCode = code;
    const message = refusalText({ status: 403, rule, code, reason, fix, requestId: this.exchange.id });
    return Buffer.from(
      JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32001, message, data: { llmgate } } }),
      'utf8',
    );
  }
}

export function mcpResultStage(options: McpResultStageOptions): Stage {
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    if (exchange.mcp !== true) return next(exchange, handler);
    // Ask for an answer llmgate can read: a compressed one would have to be withheld.
    exchange.headers['accept-encoding'] = 'identity';
    next(exchange, new McpResultHandler(handler, exchange, options));
  };
}
