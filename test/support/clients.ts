/**
 * Real clients for end-to-end tests: curl (a child process), undici's fetch through a `ProxyAgent`, and the
 * official OpenAI and Anthropic SDKs using that fetch. Nothing here fakes llmgate's side.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { openAuditReader, type AuditEvent } from '../../core/audit/index.js';
import type { RecordedRequest } from './fake-provider.js';
import type { Harness } from './harness.js';

export interface CurlResult {
  /** curl's exit code (0 = transfer done, whatever the HTTP status). */
  exitCode: number;
  /** `%{http_code}` (0 when no response). */
  status: number;
  /** `%{http_connect}`: the proxy's answer to CONNECT (0 when none). */
  connectStatus: number;
  body: Buffer;
  stderr: string;
}

const MARK = '\n--llmgate-test-status--';

/** Runs curl with `args`, writes `stdin` to it, and splits the body from the status line it appends. */
export function curl(args: readonly string[], stdin?: Buffer | string): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'curl',
      ['-sS', '--max-time', '20', '-w', `${MARK}%{http_code} %{http_connect}`, ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
      },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (code) => {
      const all = Buffer.concat(out);
      const at = all.lastIndexOf(MARK);
      const tail = at === -1 ? '' : all.subarray(at + MARK.length).toString('latin1');
      const [status, connectStatus] = tail.split(' ').map(Number);
      resolve({
        exitCode: code ?? -1,
        status: status ?? 0,
        connectStatus: connectStatus ?? 0,
        body: at === -1 ? all : all.subarray(0, at),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(stdin ?? '');
  });
}

/** curl arguments that send HTTPS through the harness proxy, trusting the llmgate CA. */
export function curlViaProxy(h: Harness): string[] {
  return ['--proxy', h.env.proxyUrlWithCredentials, '--cacert', h.env.caCertPath];
}

/** A `ProxyAgent` that CONNECTs through llmgate with its credentials and trusts the llmgate CA. */
export function proxyAgent(h: Harness): ProxyAgent {
  return new ProxyAgent({
    uri: h.env.proxyUrl,
    token: h.proxyAuthorization,
    requestTls: { ca: h.caPem },
  });
}

export interface Sent {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** undici's fetch with an explicit dispatcher; returns the whole response. */
export async function send(
  dispatcher: Dispatcher,
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    signal?: AbortSignal;
  } = {},
): Promise<Sent> {
  const res = await undiciFetch(url, {
    method: init.method ?? 'POST',
    headers: init.headers ?? { 'content-type': 'application/json' },
    body: init.body,
    dispatcher,
    signal: init.signal,
  });
  return {
    status: res.status,
    headers: res.headers as unknown as Headers,
    body: Buffer.from(await res.arrayBuffer()),
  };
}

export const OPENAI_TEST_KEY = 'sk-test-llmgate-e2e-0123456789abcdef';
export const ANTHROPIC_TEST_KEY = 'sk-ant-test-llmgate-e2e-0123456789';
export const GOOGLE_TEST_KEY = 'goog-test-llmgate-e2e-0123456789';

/**
 * The OpenAI SDK. With `agent` it goes through llmgate as `HTTPS_PROXY` would route it; without, it talks
 * to `baseURL` directly (base-URL mode). No retries: tests count the requests that arrive.
 */
export function openaiClient(options: { agent?: Dispatcher; baseURL?: string } = {}): OpenAI {
  return new OpenAI({
    apiKey: OPENAI_TEST_KEY,
    baseURL: options.baseURL ?? 'https://api.openai.com/v1',
    maxRetries: 0,
    fetch: undiciFetch as unknown as typeof globalThis.fetch,
    ...(options.agent === undefined
      ? {}
      : { fetchOptions: { dispatcher: options.agent } as Record<string, unknown> }),
  });
}

/**
 * The Anthropic SDK, as `openaiClient`. This SDK version sends its key as `Authorization: Bearer`; the
 * `x-api-key` header that other Anthropic clients send is set explicitly, so both are on the wire.
 */
export function anthropicClient(options: { agent?: Dispatcher; baseURL?: string } = {}): Anthropic {
  return new Anthropic({
    apiKey: ANTHROPIC_TEST_KEY,
    defaultHeaders: { 'x-api-key': ANTHROPIC_TEST_KEY },
    baseURL: options.baseURL ?? 'https://api.anthropic.com',
    maxRetries: 0,
    fetch: undiciFetch as unknown as typeof globalThis.fetch,
    ...(options.agent === undefined
      ? {}
      : { fetchOptions: { dispatcher: options.agent } as Record<string, unknown> }),
  });
}

/** Forgets what the fake provider recorded so far; `only()` then returns the next request. */
export function resetRecorded(h: Harness): void {
  h.provider.requests = [];
}

/** The one request the fake provider received since `resetRecorded`. */
export function only(h: Harness): RecordedRequest {
  const { requests } = h.provider;
  if (requests.length !== 1)
    throw new Error(`expected 1 request at the fake provider, got ${requests.length}`);
  return requests[0]!;
}

/** Waits until the audit log holds an event with `id` (events are written off the request path). */
export async function auditEventFor(h: Harness, id: string, timeoutMs = 3000): Promise<AuditEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reader = openAuditReader(h.daemon.paths.auditDb);
    try {
      for (const event of reader.events()) if (event.id === id) return event;
    } finally {
      reader.close();
    }
    if (Date.now() > deadline) throw new Error(`no audit event ${id} after ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Every string in a JSON value, with JSON-in-string members (tool-call arguments) opened up too. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
    if (/^\s*[[{]/.test(value)) {
      try {
        allStrings(JSON.parse(value) as unknown, out);
      } catch {
        // not JSON inside
      }
    }
  } else if (Array.isArray(value)) {
    for (const item of value) allStrings(item, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  }
  return out;
}

/**
 * Sends `request` as raw bytes to 127.0.0.1:`port` and returns what the server sends: everything until it
 * closes, or, for a `200` answer to CONNECT (the tunnel then stays open), the response head.
 */
export function rawExchange(port: number, request: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      if (/^HTTP\/1\.[01] 200 /.test(text) && text.includes('\r\n\r\n')) finish();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', finish);
    socket.write(request);
  });
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
