/**
 * The loopback redirect for native apps (RFC 8252 section 7.3): a one-shot HTTP listener on 127.0.0.1
 * at a port the OS picks, receiving the authorization response from the system browser.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { IdentityError } from '../errors.js';

export interface LoopbackReceiver {
  /** `http://127.0.0.1:<port>/callback` */
  readonly redirectUri: string;
  /**
   * The full redirect URL, once the browser arrives with the expected `state`; rejects with
   * LG_IDENTITY_TIMEOUT.
   */
  readonly received: Promise<URL>;
  close(): void;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

export interface LoopbackReceiverOptions {
  readonly timeoutMs: number;
  /**
   * The `state` of the authorization request. A redirect without it (another page on this machine
   * guessing the port, a stale tab) is answered 400 and the receiver keeps waiting.
   */
  readonly state: string;
}

function sameState(received: string | null, expected: Buffer): boolean {
  if (received === null) return false;
  const got = Buffer.from(received, 'utf8');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export async function startLoopbackReceiver(options: LoopbackReceiverOptions): Promise<LoopbackReceiver> {
  const { timeoutMs } = options;
  const expectedState = Buffer.from(options.state, 'utf8');
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
    if (!sameState(url.searchParams.get('state'), expectedState)) {
      res
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(
          PAGE(
            'Not the sign-in in progress',
            'This response does not belong to the sign-in llmgate is waiting for. Return to your terminal.',
          ),
        );
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
