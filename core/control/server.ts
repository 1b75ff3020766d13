/**
 * The control API: HTTP over a Unix socket that only its owner can open (a named pipe on Windows), never
 * a TCP port a browser could reach. A route table maps `METHOD /path` to a handler with the permission
 * it needs (Tailscale's localapi).
 */
import { chmodSync, unlinkSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { ControlError, LlmgateError } from '../errors.js';

export type Permission = 'read' | 'write';

export interface Route {
  readonly permission: Permission;
  /** `body` is the parsed JSON request body (undefined when empty); handlers validate it with zod. */
  readonly handle: (body: unknown) => Promise<unknown> | unknown;
}

/** Control requests are small JSON documents. */
const MAX_BODY_BYTES = 64 * 1024;

export class RouteTable {
  private readonly routes = new Map<string, Route>();

  register(method: 'GET' | 'POST', path: string, route: Route): this {
    const key = `${method} ${path}`;
    if (this.routes.has(key)) throw new TypeError(`control route registered twice: ${key}`);
    this.routes.set(key, route);
    return this;
  }

  lookup(method: string, path: string): Route | undefined {
    return this.routes.get(`${method} ${path}`);
  }
}

/** The Host every llmgate client sends; anything else (a browser via a rebinding trick) is refused. */
export const CONTROL_HOST = 'llmgate.local';

export interface ControlServer {
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function replyError(res: ServerResponse, status: number, code: string, message: string): void {
  reply(res, status, { error: { code, message } });
}

/** Permissions of the caller. The socket is owner-only, so whoever connects is the owner. */
function callerPermissions(_req: IncomingMessage): ReadonlySet<Permission> {
  return new Set<Permission>(['read', 'write']);
}

export async function startControlServer(socketPath: string, routes: RouteTable): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    if (req.headers.host !== CONTROL_HOST) {
      replyError(res, 403, 'LG_CONTROL_FORBIDDEN', 'wrong Host header');
      return;
    }
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const route = routes.lookup(req.method ?? 'GET', path);
    if (route === undefined) {
      replyError(res, 404, 'LG_CONTROL_BAD_REQUEST', `no control route ${req.method} ${path}`);
      return;
    }
    if (!callerPermissions(req).has(route.permission)) {
      replyError(res, 403, 'LG_CONTROL_FORBIDDEN', `${route.permission} permission required`);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once('end', () => {
      let body: unknown;
      if (size > MAX_BODY_BYTES) {
        replyError(res, 413, 'LG_CONTROL_BAD_REQUEST', 'request body too large');
        return;
      }
      if (size > 0) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          replyError(res, 400, 'LG_CONTROL_BAD_REQUEST', 'request body is not JSON');
          return;
        }
      }
      run(route, body, res);
    });
  });
  const run = (route: Route, body: unknown, res: ServerResponse): void => {
    Promise.resolve()
      .then(() => route.handle(body))
      .then(
        (body) => reply(res, 200, body),
        (err: unknown) => {
          const code = LlmgateError.is(err) ? err.code : 'LG_CONTROL_INTERNAL';
          replyError(res, code === 'LG_CONTROL_BAD_REQUEST' ? 400 : 500, code, (err as Error).message);
        },
      );
  };
  if (process.platform !== 'win32') {
    try {
      unlinkSync(socketPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new ControlError('LG_CONTROL_LISTEN_FAILED', `cannot listen on ${socketPath}: ${err.message}`, {
          cause: err,
        }),
      ),
    );
    // The umask-independent way to make it owner-only is to chmod right after bind; the home directory
    // is 0700 as well, so no other user can reach the socket in between.
    server.listen(socketPath, () => resolve());
  });
  if (process.platform !== 'win32') chmodSync(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
