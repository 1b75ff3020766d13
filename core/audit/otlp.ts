/**
 * Audit events as OTLP/HTTP logs (JSON encoding, OTLP 1.x): one `ExportLogsServiceRequest` per batch,
 * one `logRecord` per event. Attributes follow the OpenTelemetry semantic conventions (`http.*`,
 * `server.address`, `url.path`, `user.id`, `error.type`, `log.record.uid` for the event id that makes
 * retries idempotent) and the GenAI conventions where they fit (`gen_ai.provider.name`,
 * `gen_ai.request.model`, `gen_ai.usage.*`); llmgate's own fields go under `llmgate.*`. The body is the
 * event's canonical JSON, so a collector can re-check the hash chain from exactly what it received.
 * Checkpoints go as records named `llmgate.audit.checkpoint` whose body is the compact JWS.
 */
import { z } from 'zod';
import { auditEventSchema, type AuditEvent } from './event.js';

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpResource {
  readonly serviceVersion: string;
  /** The device name (`host.name`). */
  readonly device: string;
  /** Thumbprint of the key that signs this device's checkpoints. */
  readonly deviceKey: string;
}

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { intValue: String(value) } });

/** OTLP JSON carries 64-bit integers as decimal strings; nanoseconds overflow a double. */
function unixNano(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '0' : `${BigInt(ms) * 1_000_000n}`;
}

function attributes(seq: number, e: AuditEvent): KeyValue[] {
  const out: KeyValue[] = [
    str('log.record.uid', e.id),
    str('http.request.method', e.method),
    str('server.address', e.host),
    str('url.path', e.path),
    str('llmgate.decision', e.decision),
    { key: 'llmgate.rules', value: { arrayValue: { values: e.rules.map((r) => ({ stringValue: r })) } } },
    int(
      'llmgate.redactions',
      Object.values(e.redactions).reduce((a, b) => a + b, 0),
    ),
    { key: 'llmgate.stream', value: { boolValue: e.stream } },
    { key: 'llmgate.latency_ms', value: { doubleValue: e.latencyMs } },
    int('http.request.body.size', e.bytes.request),
    int('http.response.body.size', e.bytes.response),
    int('llmgate.audit.seq', seq),
    str('llmgate.audit.hash', e.hash ?? ''),
    str('llmgate.audit.prev_hash', e.prevHash ?? ''),
  ];
  if (e.user !== null) out.push(str('user.id', e.user));
  if (e.provider !== null) out.push(str('gen_ai.provider.name', e.provider));
  if (e.model !== null) out.push(str('gen_ai.request.model', e.model));
  if (e.status !== null) out.push(int('http.response.status_code', e.status));
  if (e.error !== null) out.push(str('error.type', e.error));
  if (e.usage?.inputTokens !== undefined) out.push(int('gen_ai.usage.input_tokens', e.usage.inputTokens));
  if (e.usage?.outputTokens !== undefined) out.push(int('gen_ai.usage.output_tokens', e.usage.outputTokens));
  // An MCP `tools/call` names one tool (GenAI's execute_tool span attribute); LLM requests may declare many.
  if (e.mcp === true && e.tools?.length === 1) out.push(str('gen_ai.tool.name', e.tools[0] as string));
  else if (e.tools !== undefined) out.push(str('llmgate.tools', e.tools.join(',')));
  return out;
}

export function otlpLogsRequest(
  resource: OtlpResource,
  events: readonly { seq: number; event: string }[],
  checkpoints: readonly { seq: number; time: string; jws: string }[],
): unknown {
  const records: unknown[] = [];
  for (const row of events) {
    // Rows come from our own database: still parse strictly, so a damaged row fails loudly here.
    const event = auditEventSchema.parse(JSON.parse(row.event));
    const blocked = event.decision === 'block' || event.error !== null;
    records.push({
      timeUnixNano: unixNano(event.time),
      observedTimeUnixNano: unixNano(event.time),
      severityNumber: blocked ? 13 : 9,
      severityText: blocked ? 'WARN' : 'INFO',
      eventName: 'llmgate.audit.request',
      body: { stringValue: row.event },
      attributes: attributes(row.seq, event),
    });
  }
  for (const cp of checkpoints) {
    records.push({
      timeUnixNano: unixNano(cp.time),
      observedTimeUnixNano: unixNano(cp.time),
      severityNumber: 9,
      severityText: 'INFO',
      eventName: 'llmgate.audit.checkpoint',
      body: { stringValue: cp.jws },
      attributes: [
        str('log.record.uid', `checkpoint:${resource.deviceKey}:${cp.seq}`),
        int('llmgate.audit.seq', cp.seq),
      ],
    });
  }
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            str('service.name', 'llmgate'),
            str('service.version', resource.serviceVersion),
            str('host.name', resource.device),
            str('llmgate.device.key', resource.deviceKey),
          ],
        },
        scopeLogs: [
          { scope: { name: 'llmgate.audit', version: resource.serviceVersion }, logRecords: records },
        ],
      },
    ],
  };
}

/** `ExportLogsServiceResponse` (JSON); an empty body is a full success too. */
export const otlpLogsResponseSchema = z.looseObject({
  partialSuccess: z
    .looseObject({
      rejectedLogRecords: z.union([z.string(), z.number()]).optional(),
      errorMessage: z.string().optional(),
    })
    .optional(),
});
