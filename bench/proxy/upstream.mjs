// The benchmark's fake provider, in its own process: a fixed chat completion, or an SSE stream whose
// first event goes out at once and the rest 5 ms later. Usage: node upstream.mjs CERT KEY; prints its port.
import { readFileSync } from 'node:fs';
import https from 'node:https';

const [certFile, keyFile] = process.argv.slice(2);
const reply = JSON.stringify({
  id: 'c1',
  object: 'chat.completion',
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 },
});
const first = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'first' } }] })}\n\n`;
const last = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 2 } })}\n\ndata: [DONE]\n\n`;

const server = https.createServer(
  { cert: readFileSync(certFile), key: readFileSync(keyFile), keepAlive: true },
  (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (!Buffer.concat(chunks).includes('"stream":true')) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(reply),
        });
        res.end(reply);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(first);
      setTimeout(() => res.end(last), 5);
    });
  },
);
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.once('SIGTERM', () => process.exit(0));
