/**
 * `loadOrCreateCa`: the CA files on disk, created on first start, checked on every later one, and
 * replaced (old files kept as `*.previous`) when they can no longer serve the configured hosts.
 */
import path from 'node:path';

import { CaError, CodedTypeError } from '../errors.js';
import { generateCa, parseCa, type CaMaterial } from './authority.js';
import { constraintsComplete, readNameConstraints, type CaNameConstraints } from './constraints.js';
import { ensureDir, ensurePrivateDir, readIfExists, tightenKeyFile, writeFileAtomic } from './files.js';
import { hostPermitted, normaliseHost } from './hosts.js';
import { LEAF_VALIDITY_DAYS } from './leaf.js';
import { LocalCa, type CaRotation, type CaRotationReason } from './local-ca.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LoadOrCreateCaOptions {
  /** CA certificate, PEM (written 0644). */
  certPath: string;
  /** CA private key, PKCS#8 PEM (written 0600; its directory is made 0700). */
  keyPath: string;
  /**
   * DNS hosts the CA may issue for; each also covers its subdomains (RFC 5280 name constraints).
   * Non-empty; no IP addresses, wildcards or leading dots.
   */
  permittedHosts: readonly string[];
  /** The moment of loading (creation dates, expiry check). Default: the current time. */
  now?: Date;
  /** Clock for leaf minting and cache expiry. Default: the current time. */
  clock?: () => Date;
}

interface Options {
  certPath: string;
  keyPath: string;
  permittedHosts: string[];
  now: Date;
  clock: () => Date;
}

function validate(options: LoadOrCreateCaOptions): Options {
  if (typeof options !== 'object' || options === null) throw new CodedTypeError('options must be an object');
  const { certPath, keyPath, permittedHosts, now, clock } = options;
  if (typeof certPath !== 'string' || certPath === '')
    throw new CodedTypeError('certPath must be a non-empty string');
  if (typeof keyPath !== 'string' || keyPath === '')
    throw new CodedTypeError('keyPath must be a non-empty string');
  if (path.resolve(certPath) === path.resolve(keyPath))
    throw new CodedTypeError('certPath and keyPath must differ');
  if (!Array.isArray(permittedHosts) || permittedHosts.length === 0) {
    // An empty permitted list would mean no dNSName constraint at all: a CA valid for every name.
    throw new CodedTypeError('permittedHosts must be a non-empty array of DNS host names');
  }
  const hosts: string[] = [];
  for (const entry of permittedHosts as readonly unknown[]) {
    const host = typeof entry === 'string' ? normaliseHost(entry) : undefined;
    if (host === undefined) {
      throw new CodedTypeError(
        `permittedHosts: ${JSON.stringify(entry)} is not a DNS host name (no IP addresses, wildcards or leading dots; "openai.azure.com" already covers its subdomains)`,
      );
    }
    if (!hosts.includes(host)) hosts.push(host);
  }
  if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
    throw new CodedTypeError('now must be a valid Date');
  }
  if (clock !== undefined && typeof clock !== 'function')
    throw new CodedTypeError('clock must be a function');
  return {
    certPath,
    keyPath,
    permittedHosts: hosts,
    now: now ?? new Date(),
    clock: clock ?? (() => new Date()),
  };
}

/**
 * Loads the CA at `certPath`/`keyPath`, creating it on first start.
 *
 * An existing pair must parse, be an ECDSA P-256 CA, and the key must belong to the certificate, or this
 * throws `CaError` `LG_CA_INVALID` (nothing is overwritten). It is replaced by a new CA, the old files kept
 * as `<certPath>.previous` and `<keyPath>.previous`, when it expires within a leaf lifetime (30 days),
 * lacks llmgate's name constraints, or does not permit a host of `permittedHosts`; the result then says
 * `rotated: true` and why. Removing hosts does not rotate: `permits()` follows `permittedHosts`, while the
 * certificate keeps permitting the old set until the next rotation.
 * Writing fails with `LG_CA_UNWRITABLE`; a wrong option is a `CodedTypeError`.
 */
export async function loadOrCreateCa(options: LoadOrCreateCaOptions): Promise<LocalCa> {
  const opts = validate(options);
  const [certText, keyText] = await Promise.all([readIfExists(opts.certPath), readIfExists(opts.keyPath)]);

  if (certText === undefined && keyText === undefined) return create(opts, undefined);

  if (certText === undefined || keyText === undefined) {
    const found = certText === undefined ? opts.keyPath : opts.certPath;
    const missing = certText === undefined ? opts.certPath : opts.keyPath;
    return rotate(opts, certText, keyText, 'incomplete', `found ${found} but not ${missing}`, undefined);
  }

  const material = await parseCa(certText, keyText, opts);
  const now = opts.now.getTime();
  if (material.cert.notBefore.getTime() > now) {
    throw new CaError(
      'LG_CA_INVALID',
      `the llmgate CA in ${opts.certPath} is not valid until ${material.cert.notBefore.toISOString()}; check the system clock`,
    );
  }
  if (material.cert.notAfter.getTime() - now < LEAF_VALIDITY_DAYS * DAY_MS) {
    const when = material.cert.notAfter.toISOString();
    const message =
      material.cert.notAfter.getTime() <= now ? `the CA expired at ${when}` : `the CA expires at ${when}`;
    return rotate(opts, certText, keyText, 'expiring', message, material);
  }

  let constraints: CaNameConstraints | undefined;
  try {
    constraints = readNameConstraints(material.cert);
  } catch {
    constraints = undefined;
  }
  if (!constraintsComplete(constraints)) {
    const message =
      'the CA lacks llmgate name constraints (critical, DNS names permitted, every IP address excluded)';
    return rotate(opts, certText, keyText, 'constraints', message, material);
  }

  const added = opts.permittedHosts.filter((host) => !hostPermitted(host, constraints.permittedDns));
  if (added.length > 0) {
    const message = `permittedHosts adds ${added.join(', ')}, which the existing CA does not permit`;
    return rotate(opts, certText, keyText, 'hosts-added', message, material);
  }

  await ensurePrivateDir(path.dirname(opts.keyPath));
  await tightenKeyFile(opts.keyPath);
  return new LocalCa({
    material,
    certPath: opts.certPath,
    keyPath: opts.keyPath,
    permittedHosts: opts.permittedHosts,
    certificatePermittedHosts: constraints.permittedDns,
    created: false,
    rotation: undefined,
    clock: opts.clock,
  });
}

async function rotate(
  opts: Options,
  certText: string | undefined,
  keyText: string | undefined,
  reason: CaRotationReason,
  message: string,
  previous: CaMaterial | undefined,
): Promise<LocalCa> {
  await ensurePrivateDir(path.dirname(opts.keyPath));
  // Copies, not renames: until the new pair is in place, the old one stays where it was.
  if (keyText !== undefined) await writeFileAtomic(`${opts.keyPath}.previous`, keyText, 0o600);
  if (certText !== undefined) await writeFileAtomic(`${opts.certPath}.previous`, certText, 0o644);
  return create(opts, { reason, message, previousFingerprintSha256: previous?.fingerprintSha256 });
}

async function create(opts: Options, rotation: CaRotation | undefined): Promise<LocalCa> {
  const { certPem, keyPem, material } = await generateCa(opts.permittedHosts, opts.now);
  await ensurePrivateDir(path.dirname(opts.keyPath));
  await ensureDir(path.dirname(opts.certPath));
  await writeFileAtomic(opts.keyPath, keyPem, 0o600);
  await writeFileAtomic(opts.certPath, certPem, 0o644);
  return new LocalCa({
    material,
    certPath: opts.certPath,
    keyPath: opts.keyPath,
    permittedHosts: opts.permittedHosts,
    certificatePermittedHosts: opts.permittedHosts,
    created: true,
    rotation,
    clock: opts.clock,
  });
}
