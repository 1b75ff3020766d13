/**
 * The proxy edge (mitmproxy's split: this file owns sockets, the pipeline owns decisions):
 * - `CONNECT` to a provider host: TLS terminated with a leaf from the llmgate CA, requests handed to the
 *   pipeline; any other host: a blind tunnel, bytes untouched, only host and byte counts kept.
 * - absolute-form `http://` requests: provider hosts through the pipeline, others forwarded untouched.
 * - origin-form requests: base-URL mode, `/t/<credential>/<provider>/...`.
 * Listens on 127.0.0.1 only; every way in requires the proxy credential.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { LocalCa } from '../ca/index.js';
import { ProxyError, type LlmgateErrorCode } from '../errors.js';
import {
  HOP_BY_HOP_HEADERS,
  newExchange,
  type CaptureMode,
  type Dispatch,
  type Exchange,
  type Target,
} from '../pipeline/index.js';
import { resolveBaseUrlPath, type ProviderMatch } from '../providers/index.js';
import { PROXY_AUTH_HINT, checkPathToken, checkProxyAuthorization } from './auth.js';
import { ClientResponseHandler } from './client-response.js';

export interface ProxyCounters {
  tunnels: number;
}

export interface ProxyOptions {
  readonly port: number;
  /** The proxy password (also the base-URL path token). */
  readonly credential: string;
  readonly ca: LocalCa;
  /** Whether `CONNECT host:port` is intercepted (provider hosts and configured routes). */
  readonly intercepts: (host: string, port: number) => boolean;
  readonly match: (host: string, port: number, url: string) => ProviderMatch | undefined;
  readonly dispatch: Dispatch;
  readonly maxBodyBytes: number;
  /** Records an exchange that never reached the pipeline (the client left mid-upload). */
  readonly abandoned?: (exchange: Exchange) => void;
  readonly onError?: (err: Error, where: string) => void;
}

export interface ProxyServer {
  readonly port: number;
  readonly url: string;
  readonly counters: ProxyCounters;
  close(): Promise<void>;
}

const TARGET = Symbol('llmgate.target');
const BAD_REQUEST: LlmgateErrorCode = 'LG_PROXY_BAD_REQUEST';
/** Sockets whose malformed request was answered, and how long they may linger to read the rest. */
const answered = new WeakSet<Duplex>();
const ANSWER_GRACE_MS = 2_000;
/** The first byte of every TLS record that opens a handshake. */
const TLS_HANDSHAKE = 0x16;
type InterceptedSocket = tls.TLSSocket & { [TARGET]?: Target };

/** Lowercase, without the trailing dot of a fully qualified name, so `API.OpenAI.com.` routes as itself. */
function normaliseHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** `host:port` of a CONNECT line, IPv6 in brackets. */
function parseAuthority(authority: string | undefined): { host: string; port: number } | undefined {
  if (authority === undefined) return undefined;
  // A DNS name or IPv4 address (letters, digits, `-`, `_`, `.`), or an IPv6 address in brackets: anything
  // else (`user@host`, spaces, percent-escapes) is no host a tunnel could honestly be opened to.
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9_.-]+)):(\d{1,5})$/.exec(authority);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: normaliseHost(match[1] ?? match[2]!), port };
}

function writeRawResponse(socket: Duplex, status: string, extraHeaders: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status}\r\n${extraHeaders}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The answer to a request Node's HTTP parser rejected (malformed, smuggling-shaped, oversized headers,
 * too slow): a status that says which, and the code, then the connection is closed.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // The parser reports every later chunk of a rejected request again; the answer is already on its way.
  if (answered.has(socket)) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  answered.add(socket);
  // Closing at once, with the rest of the request unread, would make the kernel reset the connection
  // and the client lose the answer: let it finish sending (its bytes are discarded) for a moment.
  setTimeout(() => socket.destroy(), ANSWER_GRACE_MS).unref();
  const parserCode = err.code ?? 'unknown';
  const [status, what] =
    parserCode === 'HPE_HEADER_OVERFLOW'
      ? ['431 Request Header Fields Too Large', 'request headers too large']
      : parserCode === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['408 Request Timeout', 'request headers not received in time']
        : ['400 Bad Request', 'malformed HTTP request'];
  writeRawResponse(
    socket,
    status,
    `X-Llmgate-Code: ${BAD_REQUEST}\r\n`,
    `llmgate: ${what} (${BAD_REQUEST}, ${parserCode})\n`,
  );
}

function sendPlain(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${body}\n`);
}

export async function startProxy(options: ProxyOptions): Promise<ProxyServer> {
  const credential = Buffer.from(options.credential, 'utf8');
  const counters: ProxyCounters = { tunnels: 0 };
  const openSockets = new Set<Duplex>();
  const report = (err: Error, where: string): void => options.onError?.(err, where);

  const track = (socket: Duplex): void => {
    openSockets.add(socket);
    socket.once('close', () => openSockets.delete(socket));
  };

  /** Reads the body (bounded), builds the exchange and hands it to the pipeline. */
  const handleProviderRequest = (
    req: IncomingMessage,
    res: ServerResponse,
    target: Target,
    mode: CaptureMode,
    url: string,
  ): void => {
    const startedAt = performance.now();
    const match = options.match(target.host, target.port, url);
    const exchange = newExchange({
      id: randomUUID(),
      time: new Date(),
      startedAt,
      mode,
      target,
      method: req.method ?? 'GET',
      url,
      headers: { ...req.headers },
      match,
    });
    const handler = new ClientResponseHandler(res, exchange);
    // An oversize body is not buffered: the pipeline refuses it (413) and audits it like any refusal.
    const dispatchOversize = (bytes: number): void => {
      exchange.requestBytes = bytes;
      res.setHeader('connection', 'close');
      options.dispatch(exchange, handler);
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxBodyBytes) {
      req.resume();
      dispatchOversize(declared);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let oversize = false;
    req.on('data', (chunk: Buffer) => {
      if (oversize) return;
      size += chunk.length;
      if (size > options.maxBodyBytes) {
        oversize = true;
        chunks.length = 0;
        dispatchOversize(size);
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.once('close', () => {
      // A client that goes away before its body is complete: nothing is forwarded, but it is audited.
      if (ended || oversize) return;
      exchange.requestBytes = size;
      exchange.errorCode = 'LG_PROXY_CLIENT_CLOSED';
      exchange.finishedAt = performance.now();
      options.abandoned?.(exchange);
    });
    req.once('end', () => {
      ended = true;
      if (oversize) return;
      exchange.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      exchange.requestBytes = size;
      options.dispatch(exchange, handler);
    });
    req.once('error', (err) => report(err, 'request body'));
  };

  // Decrypted requests from intercepted CONNECT tunnels. Never listens: sockets are handed to it.
  const interceptServer = http.createServer({ keepAlive: true, noDelay: true }, (req, res) =>
    guarded(req, res, (req, res) => {
      const target = (req.socket as InterceptedSocket)[TARGET];
      if (target === undefined) {
        sendPlain(res, 500, 'llmgate: lost the tunnel target');
        return;
      }
      handleProviderRequest(req, res, target, 'intercept', req.url ?? '/');
    }),
  );
  // Node starts enforcing headersTimeout/requestTimeout and tracking connections (closeAllConnections) on
  // 'listening'; this server never listens, because sockets are handed to it, so say it is.
  interceptServer.emit('listening');
  interceptServer.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    report(err, 'intercepted client');
    answerClientError(err, socket);
  });

  const intercept = async (socket: Socket, head: Buffer, target: Target): Promise<void> => {
    let secureContext: tls.SecureContext;
    try {
      secureContext = await options.ca.secureContextFor(target.host);
    } catch (err) {
      report(err as Error, 'certificate');
      writeRawResponse(
        socket,
        '502 Bad Gateway',
        '',
        `llmgate: cannot issue a certificate for ${target.host}\n`,
      );
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) {
      wrapTls(socket, head, target, secureContext);
      return;
    }
    // Look at the first bytes before TLS takes the socket: plain HTTP sent into the tunnel (an http://
    // URL with HTTPS_PROXY set, a misconfigured client) gets an answer it can show instead of a reset.
    const onData = (chunk: Buffer): void => {
      socket.off('data', onData);
      socket.pause();
      wrapTls(socket, chunk, target, secureContext);
    };
    socket.on('data', onData);
  };

  const wrapTls = (socket: Socket, first: Buffer, target: Target, secureContext: tls.SecureContext): void => {
    if (first[0] !== TLS_HANDSHAKE) {
      writeRawResponse(
        socket,
        '400 Bad Request',
        `X-Llmgate-Code: ${BAD_REQUEST}\r\n`,
        `llmgate: expected a TLS handshake inside the tunnel to ${target.host} (${BAD_REQUEST}); use https:// URLs through HTTPS_PROXY.\n`,
      );
      socket.resume();
      return;
    }
    socket.unshift(first);
    const tlsSocket = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext,
      ALPNProtocols: ['http/1.1'],
    }) as InterceptedSocket;
    tlsSocket[TARGET] = target;
    tlsSocket.on('error', (err) => {
      report(err, `tls ${target.host}`);
      socket.destroy();
    });
    interceptServer.emit('connection', tlsSocket);
  };

  const tunnel = (client: Socket, head: Buffer, host: string, port: number): void => {
    counters.tunnels++;
    const upstream = net.connect({ host, port });
    track(upstream);
    let connected = false;
    upstream.setNoDelay(true);
    upstream.once('connect', () => {
      connected = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      client.destroy();
      upstream.destroy();
    };
    upstream.once('error', (err) => {
      if (connected) {
        close();
        return;
      }
      // Let the 502 and its hint reach the client before the socket goes.
      closed = true;
      writeRawResponse(
        client,
        '502 Bad Gateway',
        '',
        `llmgate: cannot reach ${host}:${port} (${(err as NodeJS.ErrnoException).code ?? err.message})\n`,
      );
      upstream.destroy();
    });
    upstream.once('close', close);
    client.once('error', close);
    client.once('close', close);
  };

  const server = http.createServer({ keepAlive: true, noDelay: true });

  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    track(socket);
    socket.setNoDelay(true);
    socket.on('error', (err) => report(err, 'connect socket'));
    if (!checkProxyAuthorization(req.headers['proxy-authorization'], credential)) {
      writeRawResponse(
        socket,
        '407 Proxy Authentication Required',
        'Proxy-Authenticate: Basic realm="llmgate"\r\n',
        `${PROXY_AUTH_HINT}\n`,
      );
      return;
    }
    const authority = parseAuthority(req.url);
    if (authority === undefined) {
      writeRawResponse(socket, '400 Bad Request', '', 'llmgate: CONNECT needs host:port\n');
      return;
    }
    // The CA's name constraints exclude IP addresses, so only DNS names can be intercepted.
    if (net.isIP(authority.host) === 0 && options.intercepts(authority.host, authority.port)) {
      void intercept(socket, head, { protocol: 'https:', host: authority.host, port: authority.port });
    } else {
      tunnel(socket, head, authority.host, authority.port);
    }
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => guarded(req, res, routeRequest));

  /** No request, however malformed, may take the daemon down: a handler that throws answers 500. */
  function guarded(
    req: IncomingMessage,
    res: ServerResponse,
    handle: (req: IncomingMessage, res: ServerResponse) => void,
  ): void {
    try {
      handle(req, res);
    } catch (err) {
      report(err as Error, 'request handler');
      if (!res.headersSent) sendPlain(res, 500, 'llmgate: internal error handling this request');
      else res.destroy();
    }
  }

  function routeRequest(req: IncomingMessage, res: ServerResponse): void {
    const rawUrl = req.url ?? '/';
    if (rawUrl.startsWith('http://') || rawUrl.startsWith('https://')) {
      if (!checkProxyAuthorization(req.headers['proxy-authorization'], credential)) {
        sendPlain(res, 407, PROXY_AUTH_HINT, { 'proxy-authenticate': 'Basic realm="llmgate"' });
        req.resume();
        return;
      }
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        sendPlain(res, 400, 'llmgate: malformed request URL');
        return;
      }
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const host = normaliseHost(url.hostname.replace(/^\[|\]$/g, ''));
      const path = `${url.pathname}${url.search}`;
      if (url.protocol === 'https:' && !options.intercepts(host, port)) {
        sendPlain(
          res,
          400,
          'llmgate: send https:// requests through CONNECT (set HTTPS_PROXY), not as plain proxy requests',
        );
        req.resume();
        return;
      }
      if (options.intercepts(host, port)) {
        handleProviderRequest(
          req,
          res,
          { protocol: url.protocol === 'https:' ? 'https:' : 'http:', host, port },
          'http-proxy',
          path,
        );
      } else {
        forwardPlain(req, res, host, port, path);
      }
      return;
    }
    handleBaseUrl(req, res, rawUrl);
  }

  /** Plain HTTP to a non-provider host: forwarded untouched, like a tunnel. */
  const forwardPlain = (
    req: IncomingMessage,
    res: ServerResponse,
    host: string,
    port: number,
    path: string,
  ): void => {
    counters.tunnels++;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP_HEADERS.has(name)) headers[name] = value;
    }
    const upstream = http.request({ host, port, path, method: req.method, headers }, (upstreamRes) => {
      const responseHeaders: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(upstreamRes.headers)) {
        if (value !== undefined && !HOP_BY_HOP_HEADERS.has(name)) responseHeaders[name] = value;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders);
      upstreamRes.pipe(res);
    });
    // A client that goes away takes its upstream request with it.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.once('error', (err) => {
      if (!res.headersSent)
        sendPlain(
          res,
          502,
          `llmgate: cannot reach ${host}:${port} (${(err as NodeJS.ErrnoException).code ?? err.message})`,
        );
      else res.destroy();
    });
    req.pipe(upstream);
  };

  /** Base-URL mode: `/t/<credential>/<provider>/<provider path>`. */
  const handleBaseUrl = (req: IncomingMessage, res: ServerResponse, rawUrl: string): void => {
    const match = /^\/t\/([^/]+)(\/.*)?$/.exec(rawUrl);
    // The credential is base64url: it never needs percent-decoding, and decoding hostile input can throw.
    if (match === null || !checkPathToken(match[1]!, credential)) {
      sendPlain(
        res,
        rawUrl.startsWith('/t/') ? 401 : 404,
        'llmgate: this is a proxy. Use HTTPS_PROXY, or a base URL from `llmgate env --base-urls`.',
      );
      req.resume();
      return;
    }
    const resolved = resolveBaseUrlPath(match[2] ?? '/');
    if (resolved === undefined) {
      sendPlain(
        res,
        404,
        'llmgate: unknown provider prefix; see `llmgate env --base-urls` for the supported ones.',
      );
      req.resume();
      return;
    }
    handleProviderRequest(
      req,
      res,
      { protocol: resolved.protocol, host: resolved.host, port: resolved.port },
      'base-url',
      resolved.path,
    );
  };

  // WebSocket traffic (e.g. realtime APIs) cannot be scanned yet, so it is refused, never passed blind.
  const refuseUpgrade = (_req: IncomingMessage, socket: Duplex): void => {
    writeRawResponse(
      socket,
      '501 Not Implemented',
      'X-Llmgate-Rule: unscannable-body\r\n',
      'llmgate: WebSocket and other protocol upgrades to provider hosts cannot be scanned yet, so they are refused (rule unscannable-body). Use the HTTP API.\n',
    );
  };
  interceptServer.on('upgrade', refuseUpgrade);
  server.on('upgrade', refuseUpgrade);
  // Outlive the clients' idle keep-alive (undici: 4 s, browsers: longer) so a reused connection is
  // never closed under a request in flight.
  for (const s of [server, interceptServer]) {
    s.keepAliveTimeout = 65_000;
    s.headersTimeout = 66_000;
  }

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    report(err, 'client');
    answerClientError(err, socket);
  });

  await new Promise<void>((resolve, reject) => {
    const onListenError = (err: NodeJS.ErrnoException): void => {
      const hint =
        err.code === 'EADDRINUSE'
          ? `port ${options.port} is in use; pick another with \`llmgate start --port N\` (0 = any free port) or proxy.port in config.json`
          : err.message;
      reject(
        new ProxyError('LG_PROXY_LISTEN_FAILED', `cannot listen on 127.0.0.1:${options.port}: ${hint}`, {
          cause: err,
        }),
      );
    };
    server.once('error', onListenError);
    server.listen({ host: '127.0.0.1', port: options.port }, () => {
      server.off('error', onListenError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    counters,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        interceptServer.closeAllConnections();
        for (const socket of openSockets) socket.destroy();
      });
    },
  };
}
