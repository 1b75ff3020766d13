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
  readonly handle: () => Promise<unknown> | unknown;
}

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
    req.resume();
    Promise.resolve()
      .then(() => route.handle())
      .then(
        (body) => reply(res, 200, body),
        (err: unknown) => {
          const code = LlmgateError.is(err) ? err.code : 'LG_CONTROL_INTERNAL';
          replyError(res, 500, code, (err as Error).message);
        },
      );
  });
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
