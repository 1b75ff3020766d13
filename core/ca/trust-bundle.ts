/**
 * The trust bundle for tools that replace the trust store instead of adding to it (`SSL_CERT_FILE`,
 * `REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE`): the system roots followed by the llmgate CA.
 */
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import path from 'node:path';
import tls from 'node:tls';

import { CodedTypeError } from '../errors.js';
import { ensureDir, readIfExists, writeFileAtomic } from './files.js';

/** Where Debian/Ubuntu/Alpine, Fedora/RHEL, and macOS/BSD keep their PEM root bundle, in that order. */
export const SYSTEM_BUNDLE_PATHS: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

export interface WriteTrustBundleOptions {
  /** The llmgate CA certificate, PEM (one certificate). */
  caCertPem: string;
  /** Where to write the bundle (0644, atomically). */
  bundlePath: string;
  /** Candidate system bundles, first existing non-empty one wins. Default `SYSTEM_BUNDLE_PATHS`; none found: Node's `tls.rootCertificates`. */
  systemBundlePaths?: readonly string[];
}

/** Writes system roots + the llmgate CA to `bundlePath` and returns that path. */
export async function writeTrustBundle(options: WriteTrustBundleOptions): Promise<string> {
  if (typeof options !== 'object' || options === null) throw new CodedTypeError('options must be an object');
  const { caCertPem, bundlePath, systemBundlePaths = SYSTEM_BUNDLE_PATHS } = options;
  if (typeof bundlePath !== 'string' || bundlePath === '')
    throw new CodedTypeError('bundlePath must be a non-empty string');
  if (!Array.isArray(systemBundlePaths) || !systemBundlePaths.every((p) => typeof p === 'string')) {
    throw new CodedTypeError('systemBundlePaths must be an array of paths');
  }
  const caPem = singleCertificatePem(caCertPem);

  let roots: string | undefined;
  let source = 'Node.js tls.rootCertificates';
  for (const candidate of systemBundlePaths) {
    const text = await readIfExists(candidate).catch(() => undefined);
    if (text !== undefined && text.includes('-----BEGIN CERTIFICATE-----')) {
      roots = text;
      source = candidate;
      break;
    }
  }
  roots ??= tls.rootCertificates.join('\n') + '\n';

  const body = roots.endsWith('\n') ? roots : roots + '\n';
  const bundle = `${body}\n# llmgate local CA (roots above: ${source})\n${caPem}`;
  await ensureDir(path.dirname(bundlePath));
  await writeFileAtomic(bundlePath, bundle, 0o644);
  return bundlePath;
}

function singleCertificatePem(pem: unknown): string {
  if (typeof pem !== 'string') throw new CodedTypeError('caCertPem must be a PEM string');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const block = blocks[0];
  if (blocks.length !== 1 || block === undefined) {
    throw new CodedTypeError('caCertPem must hold exactly one PEM certificate');
  }
  try {
    new NodeX509Certificate(block);
  } catch (err) {
    throw new CodedTypeError(`caCertPem is not a certificate: ${(err as Error).message}`);
  }
  return block.replace(/\r\n/g, '\n') + '\n';
}
