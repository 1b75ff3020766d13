/**
 * A local OTLP/HTTP logs receiver (JSON encoding), standing in for an OpenTelemetry Collector: it
 * answers `POST /v1/logs` as told (200, or an error status with `Retry-After`), keeps every log record
 * it accepted, and can be "down" (nothing listening on its port).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const anyValue: z.ZodType<unknown> = z.looseObject({});
const logsRequestSchema = z.strictObject({
  resourceLogs: z.array(
    z.strictObject({
      resource: z.strictObject({ attributes: z.array(z.strictObject({ key: z.string(), value: anyValue })) }),
      scopeLogs: z.array(
        z.strictObject({
          scope: z.strictObject({ name: z.string(), version: z.string() }),
          logRecords: z.array(
            z.strictObject({
              timeUnixNano: z.string().regex(/^\d+$/),
              observedTimeUnixNano: z.string().regex(/^\d+$/),
              severityNumber: z.number().int(),
              severityText: z.string(),
              eventName: z.string(),
              body: z.strictObject({ stringValue: z.string() }),
              attributes: z.array(z.strictObject({ key: z.string(), value: anyValue })),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type LogsRequest = z.infer<typeof logsRequestSchema>;
export type LogRecord = LogsRequest['resourceLogs'][number]['scopeLogs'][number]['logRecords'][number];

export interface Exchange {
  readonly at: number;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
}

export interface OtlpReceiver {
  readonly url: string;
  /** What the next requests get: 200, or a status with an optional Retry-After (seconds). */
  answer: { status: number; retryAfter?: string };
  /** Requests with more log records than this get 413 (a collector's size limit). */
  maxRecords: number | undefined;
  /** Accepted records, duplicates included, in arrival order. */
  readonly records: LogRecord[];
  readonly requests: LogsRequest[];
  readonly exchanges: Exchange[];
  /** `log.record.uid` of every accepted audit event record, without duplicates. */
  eventIds(): Set<string>;
  up(): Promise<void>;
  down(): Promise<void>;
}

export function attribute(record: LogRecord, key: string): unknown {
  const found = record.attributes.find((a) => a.key === key)?.value as Record<string, unknown> | undefined;
  return found === undefined ? undefined : Object.values(found)[0];
}

/** Starts down unless `up` is true; the port stays the same across up/down. */
export async function startOtlpReceiver(options: { up: boolean }): Promise<OtlpReceiver> {
  let server: http.Server | undefined;
  let port = 0;
  const receiver: OtlpReceiver = {
    url: '',
    answer: { status: 200 },
    maxRecords: undefined,
    records: [],
    requests: [],
    exchanges: [],
    eventIds() {
      return new Set(
        receiver.records
          .filter((r) => r.eventName === 'llmgate.audit.request')
          .map((r) => String(attribute(r, 'log.record.uid'))),
      );
    },
    async up() {
      server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const { status, retryAfter } = receiver.answer;
          receiver.exchanges.push({ at: Date.now(), status, headers: req.headers });
          if (req.method !== 'POST' || req.url !== '/v1/logs') {
            res.writeHead(404).end();
            return;
          }
          if (status !== 200) {
            res.writeHead(status, retryAfter === undefined ? {} : { 'retry-after': retryAfter }).end();
            return;
          }
          const parsed = logsRequestSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          const count = parsed.resourceLogs
            .flatMap((rl) => rl.scopeLogs)
            .reduce((n, sl) => n + sl.logRecords.length, 0);
          if (receiver.maxRecords !== undefined && count > receiver.maxRecords) {
            res.writeHead(413).end();
            return;
          }
          receiver.requests.push(parsed);
          for (const rl of parsed.resourceLogs)
            for (const sl of rl.scopeLogs) receiver.records.push(...sl.logRecords);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      (receiver as { url: string }).url = `http://127.0.0.1:${port}/v1/logs`;
    },
    async down() {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await receiver.up();
  if (!options.up) await receiver.down();
  return receiver;
}
