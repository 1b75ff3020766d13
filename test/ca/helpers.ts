/**
 * Test helpers for the CA: temp homes, a loopback TLS server, the three TLS clients (Node, curl,
 * Python's ssl), and a forger that signs arbitrary leaves with the CA's private key, bypassing `permits`.
 */
// The CA module installs the Reflect shim that @peculiar/x509 needs; it must load before x509 below.
import '../../core/ca/index.js';

import { execFile } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };

export async function tempHome(): Promise<{
  dir: string;
  certPath: string;
  keyPath: string;
  cleanup(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmgate-ca-'));
  return {
    dir,
    certPath: path.join(dir, 'ca', 'llmgate-ca.pem'),
    keyPath: path.join(dir, 'ca', 'llmgate-ca.key'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface TestServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback TLS server that answers any HTTP request with `200 ok`. With `contextFor` it picks the
 * certificate per SNI name, as the proxy does; with `fixed` it serves one key and chain to everyone
 * (clients send no SNI when connecting to an IP address).
 */
export async function startTlsServer(
  options:
    | { contextFor: (servername: string) => Promise<tls.SecureContext> }
    | { fixed: { key: string; cert: string } },
): Promise<TestServer> {
  const server =
    'fixed' in options
      ? tls.createServer({ key: options.fixed.key, cert: options.fixed.cert })
      : tls.createServer({
          SNICallback: (servername, cb) => {
            options.contextFor(servername).then(
              (ctx) => cb(null, ctx),
              (err: Error) => cb(err),
            );
          },
        });
  server.on('secureConnection', (socket) => {
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      }
    });
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ClientResult {
  ok: boolean;
  /** Node: the error's `code`; curl: its exit code; Python: the exception class. */
  code: string;
  /** What the client printed or threw. */
  message: string;
}

/** Connects with Node's `tls.connect`, trusting only `caPem`; `name` is the SNI/hostname, or an IP to connect to directly. */
export function nodeClient(caPem: string, port: number, name: string): Promise<ClientResult> {
  const isIp = /^[0-9.]+$/.test(name) || name.includes(':');
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: caPem, ...(isIp ? {} : { servername: name }) });
    socket.once('secureConnect', () => {
      socket.end();
      resolve({ ok: true, code: 'OK', message: `authorized, ${socket.getProtocol() ?? ''}` });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ ok: false, code: String(err.code), message: err.message });
    });
  });
}

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell, config files or proxy variables; never throws on a non-zero exit. */
function run(file: string, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'C' };
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== 'number') return reject(err);
      resolve({ exitCode: err === null ? 0 : (err.code as number), stdout, stderr });
    });
  });
}

/** `curl --cacert caFile`, resolving `name` to 127.0.0.1 (or connecting to the IP itself). */
export async function curlClient(caFile: string, port: number, name: string): Promise<ClientResult> {
  const isIp = /^[0-9.]+$/.test(name);
  const args = ['-q', '-sS', '--noproxy', '*', '--max-time', '15', '--cacert', caFile];
  if (!isIp) args.push('--resolve', `${name}:${port}:127.0.0.1`);
  args.push(`https://${name}:${port}/`);
  const result = await run('curl', args);
  return {
    ok: result.exitCode === 0 && result.stdout === 'ok',
    code: String(result.exitCode),
    message: (result.stderr || result.stdout).trim(),
  };
}

const PYTHON_CLIENT = `
import socket, ssl, sys
cafile, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=cafile)
try:
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        with ctx.wrap_socket(sock, server_hostname=name) as tls:
            print("OK", tls.version())
except ssl.SSLCertVerificationError as e:
    print("SSLCertVerificationError", e)
    sys.exit(3)
except Exception as e:
    print(type(e).__name__, e)
    sys.exit(4)
`;

/** Python's `ssl.create_default_context(cafile=...)`, connecting to 127.0.0.1 with `server_hostname=name`. */
export async function pythonClient(caFile: string, port: number, name: string): Promise<ClientResult> {
  const result = await run('python3', ['-c', PYTHON_CLIENT, caFile, String(port), name]);
  const out = result.stdout.trim() || result.stderr.trim();
  const space = out.indexOf(' ');
  return { ok: result.exitCode === 0, code: space === -1 ? out : out.slice(0, space), message: out };
}

/**
 * Signs a server leaf with the CA's private key read straight from disk, the way someone who stole the key
 * would: any DNS names or IP addresses, no `permits` check. Returns the leaf key and the chain leaf + CA.
 */
export async function forgeLeaf(
  ca: { certPath: string; keyPath: string },
  names: { commonName: string; dns?: string[]; ip?: string[] },
): Promise<{ key: string; cert: string; leafPem: string }> {
  const caPem = await readFile(ca.certPath, 'utf8');
  const caCert = new x509.X509Certificate(caPem);
  const [caKeyDer] = x509.PemConverter.decode(await readFile(ca.keyPath, 'utf8'));
  if (caKeyDer === undefined) throw new Error('no CA key');
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const caKey = await webcrypto.subtle.importKey('pkcs8', caKeyDer, alg, false, ['sign']);
  const leafKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (caSki === null) throw new Error('CA has no SKI');
  const sans = [
    ...(names.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(names.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const leaf = await x509.X509CertificateGenerator.create({
    subject: [{ CN: [names.commonName] }],
    issuer: caCert.subjectName,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 7 * 86400_000),
    publicKey: leafKeys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(sans, false),
      new x509.AuthorityKeyIdentifierExtension(caSki.keyId, false),
    ],
  });
  const leafPem = leaf.toString('pem') + '\n';
  const keyPem = x509.PemConverter.encode(
    await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey),
    'PRIVATE KEY',
  );
  return { key: keyPem, cert: leafPem + caPem, leafPem };
}
