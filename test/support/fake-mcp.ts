/**
 * A fake MCP server (streamable HTTP) over real TLS: answers `tools/call` with a JSON body, or with an SSE
 * stream whose result is split across chunks, so tests can see what llmgate lets back into the client.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestPki } from './test-pki.js';

export interface FakeMcp {
  readonly origin: string;
  readonly requests: { headers: Record<string, unknown>; body: string }[];
  /** Text each tool answers with, by tool name. */
  readonly results: Map<string, string>;
  close(): Promise<void>;
}

export async function startFakeMcp(pki: TestPki): Promise<FakeMcp> {
  const requests: FakeMcp['requests'] = [];
  const results = new Map<string, string>();
  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: req.headers, body });
      const message = JSON.parse(body) as { id: number; params: { name: string } };
      const name = message.params.name;
      const answer = JSON.stringify({
        jsonrpc: '2.0',
        id: message.id,
        result: { content: [{ type: 'text', text: results.get(name) ?? 'ok' }] },
      });
      if (name.endsWith('_stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const progress = JSON.stringify({
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progress: 1 },
        });
        const event = `event: message\nid: 2\ndata: ${answer}\n\n`;
        res.write(`data: ${progress}\n\n`);
        // Split the result event in the middle, so a value in it crosses a chunk boundary.
        const half = Math.floor(event.length / 2);
        res.write(event.slice(0, half));
        setTimeout(() => res.end(event.slice(half)), 5);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    results,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
