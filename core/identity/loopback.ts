/**
 * The loopback redirect for native apps (RFC 8252 section 7.3): a one-shot HTTP listener on 127.0.0.1
 * at a port the OS picks, receiving the authorization response from the system browser.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { IdentityError } from '../errors.js';

export interface LoopbackReceiver {
  /** `http://127.0.0.1:<port>/callback` */
  readonly redirectUri: string;
  /** The full redirect URL, once the browser arrives; rejects with LG_IDENTITY_TIMEOUT. */
  readonly received: Promise<URL>;
  close(): void;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

export async function startLoopbackReceiver(timeoutMs: number): Promise<LoopbackReceiver> {
  let resolve!: (url: URL) => void;
  let reject!: (err: Error) => void;
  const received = new Promise<URL>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting yet; the rejection is still reported to whoever awaits later.
  received.catch(() => {});
  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const failed = url.searchParams.has('error');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        failed
          ? PAGE('Sign-in did not complete', 'Return to your terminal for details. You can close this tab.')
          : PAGE('Signed in to llmgate', 'You can close this tab and return to your terminal.'),
      );
    resolve(url);
    // Closed once the page has gone out, so the browser still gets it.
    res.once('finish', close);
  });
  const timer = setTimeout(() => {
    reject(
      new IdentityError(
        'LG_IDENTITY_TIMEOUT',
        `sign-in timed out after ${Math.round(timeoutMs / 1000)} s without a browser redirect. Run \`llmgate login\` again, or \`llmgate login --device-code\` on a machine without a browser.`,
      ),
    );
    close();
  }, timeoutMs);
  timer.unref();
  function close(): void {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen({ host: '127.0.0.1', port: 0 }, () => res());
  });
  port = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    received,
    close: () => {
      reject(new IdentityError('LG_IDENTITY_NO_LOGIN', 'sign-in was cancelled'));
      close();
    },
  };
}
