/**
 * The MCP result stage driven directly: an upstream that answers with given bytes, and a recording
 * handler standing in for the client.
 */
import { describe, expect, it } from 'vitest';
import { createDetector } from '../../core/detect/index.js';
import {
  mcpResultStage,
  newExchange,
  type Exchange,
  type ResponseHandler,
  type StreamController,
} from '../../core/pipeline/index.js';
import { AWS_KEY } from '../support/secrets.js';

const controller: StreamController = { pause() {}, resume() {}, abort() {} };

function exchange(mcp: boolean): Exchange {
  const exchange = newExchange({
    id: 'req-1',
    time: new Date(0),
    startedAt: 0,
    mode: 'intercept',
    target: { protocol: 'https:', host: 'mcp.internal.example', port: 443 },
    method: 'POST',
    url: '/mcp',
    headers: { 'accept-encoding': 'gzip' },
    match: undefined,
  });
  return mcp ? { ...exchange, mcp: true } : exchange;
}

interface Seen {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  ended: boolean;
}

function run(
  ex: Exchange,
  status: number,
  headers: Record<string, string>,
  chunks: string[],
  maxBytes = 1 << 20,
): Seen {
  const seen: Seen = { status: 0, headers: {}, body: '', ended: false };
  const client: ResponseHandler = {
    onRequestStart() {},
    onResponseStart(_c, s, h) {
      seen.status = s;
      seen.headers = h;
    },
    onResponseData(_c, chunk) {
      seen.body += chunk.toString('utf8');
    },
    onResponseEnd() {
      seen.ended = true;
    },
    onResponseError() {},
  };
  const dispatch = mcpResultStage({ detector: createDetector(), maxBytes })((_ex, handler) => {
    handler.onResponseStart(controller, status, headers);
    for (const c of chunks) handler.onResponseData(controller, Buffer.from(c, 'utf8'));
    handler.onResponseEnd(controller);
  });
  dispatch(ex, client);
  return seen;
}

const result = (text: string) =>
  JSON.stringify({ jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text }] } });

describe('MCP results', () => {
  it('asks for an uncompressed answer and redacts a JSON result, fixing Content-Length', () => {
    const ex = exchange(true);
    const seen = run(ex, 200, { 'content-type': 'application/json', 'content-length': '999' }, [
      result(`k ${AWS_KEY}`),
    ]);
    expect(ex.headers['accept-encoding']).toBe('identity');
    expect(seen.body).toBe(result('k [REDACTED:aws-access-key-id]'));
    expect(seen.headers['content-length']).toBe(String(Buffer.byteLength(seen.body)));
    expect(ex.decision).toBe('redact');
    expect(ex.redactions).toEqual({ 'aws-access-key-id': 1 });
  });

  it('withholds a compressed answer it cannot scan, as a JSON-RPC error', () => {
    const ex = exchange(true);
    const seen = run(ex, 200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, [
      '\x1f\x8b...',
    ]);
    expect(seen.status).toBe(502);
    const body = JSON.parse(seen.body) as { error: { data: { llmgate: { rule: string; code: string } } } };
    expect(body.error.data.llmgate).toMatchObject({
      rule: 'mcp-result-unscannable',
      code: 'LG_PIPELINE_UNSCANNABLE',
    });
    expect(ex.decision).toBe('block');
  });

  it('withholds an answer larger than it may hold', () => {
    const seen = run(
      exchange(true),
      200,
      { 'content-type': 'application/json' },
      [result('x'.repeat(200))],
      100,
    );
    expect(seen.status).toBe(502);
    expect(seen.body).toContain('larger than 100 bytes');
  });

  it('withholds JSON that does not parse rather than pass it on unscanned', () => {
    const seen = run(exchange(true), 200, { 'content-type': 'application/json' }, [`{"text": "${AWS_KEY}"`]);
    expect(seen.status).toBe(502);
    expect(seen.body).not.toContain(AWS_KEY);
  });

  it('leaves other exchanges untouched', () => {
    const ex = exchange(false);
    const seen = run(ex, 200, { 'content-type': 'application/json' }, [result(AWS_KEY)]);
    expect(seen.body).toBe(result(AWS_KEY));
    expect(ex.headers['accept-encoding']).toBe('gzip');
  });
});
