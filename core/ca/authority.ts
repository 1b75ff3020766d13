/**
 * The CA certificate and key: creating a new one, and reading back and checking an existing one.
 * No file I/O here; `load.ts` owns the files.
 */
import {
  X509Certificate as NodeX509Certificate,
  createHash,
  createHmac,
  createPrivateKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import os from 'node:os';

import { CaError } from '../errors.js';
import { nameConstraintsExtension } from './constraints.js';
import { EC_KEY, subtle, x509 } from './x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** CA lifetime: ten years, starting a day early so a slightly slow clock elsewhere still accepts it. */
export const CA_VALIDITY_DAYS = 3650;
export const CA_BACKDATE_MS = DAY_MS;

/** Label of the HMAC that turns the CA key into the proxy's credential key (see `LocalCa.credentialKey`). */
const CREDENTIAL_LABEL = 'llmgate proxy credential v1';

/** What the rest of `core/ca` needs from a CA: the certificate, a signing key that cannot be exported, derived values. */
export interface CaMaterial {
  cert: x509.X509Certificate;
  certPem: string;
  /** The CA private key; leaves are signed with Node's `crypto.sign`. */
  signingKey: KeyObject;
  /** Hex key identifier of the CA key, copied into every leaf's AuthorityKeyIdentifier. */
  keyId: string;
  fingerprintSha256: string;
  credentialKey: Buffer;
}

/** 16 random bytes with the top bit clear (a positive INTEGER of exactly 16 octets) as hex. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

export function caSubject(hostname = os.hostname()): x509.JsonName {
  const host = hostname.trim() === '' ? 'unknown host' : hostname.trim().slice(0, 40);
  return [{ O: ['llmgate'] }, { CN: [`llmgate local CA (${host} ${randomBytes(3).toString('hex')})`] }];
}

/** Generates a new ECDSA P-256 CA whose name constraints permit exactly `permittedHosts` (normalised, non-empty). */
export async function generateCa(
  permittedHosts: readonly string[],
  now: Date,
): Promise<{ certPem: string; keyPem: string; material: CaMaterial }> {
  const keys = await subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey));
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: caSubject(),
    notBefore: new Date(now.getTime() - CA_BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ski,
      nameConstraintsExtension(permittedHosts),
    ],
  });
  const certPem = cert.toString('pem') + '\n';
  const keyPem = x509.PemConverter.encode(pkcs8.buffer, 'PRIVATE KEY') + '\n';
  return { certPem, keyPem, material: await materialFrom(cert, certPem, pkcs8) };
}

/**
 * Parses and checks an existing CA pair: a single certificate that is a CA allowed to sign certificates,
 * a PKCS#8 ECDSA P-256 key, and the key belongs to the certificate. Any failure is `LG_CA_INVALID`.
 * Validity dates and name constraints are the caller's business (they lead to rotation, not an error).
 */
export async function parseCa(
  certPem: string,
  keyPem: string,
  where: { certPath: string; keyPath: string },
): Promise<CaMaterial> {
  const invalid = (why: string, cause?: unknown) =>
    new CaError('LG_CA_INVALID', `${why}; to start over, move ${where.certPath} and ${where.keyPath} away`, {
      cause,
    });

  let cert: x509.X509Certificate;
  let nodeCert: NodeX509Certificate;
  try {
    const ders = x509.PemConverter.decode(certPem);
    if (ders.length !== 1) throw new Error(`expected one certificate, found ${ders.length}`);
    cert = new x509.X509Certificate(certPem);
    nodeCert = new NodeX509Certificate(certPem);
  } catch (err) {
    throw invalid(`${where.certPath} is not a PEM certificate: ${(err as Error).message}`, err);
  }

  let pkcs8: Uint8Array;
  try {
    const blocks = x509.PemConverter.decodeWithHeaders(keyPem);
    const block = blocks[0];
    if (blocks.length !== 1 || block === undefined || block.type !== 'PRIVATE KEY') {
      throw new Error('expected one "PRIVATE KEY" (PKCS#8) block');
    }
    pkcs8 = new Uint8Array(block.rawData);
  } catch (err) {
    throw invalid(`${where.keyPath} is not a PKCS#8 PEM private key: ${(err as Error).message}`, err);
  }

  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw invalid(`${where.keyPath} cannot be read as a private key: ${(err as Error).message}`, err);
  }
  if (keyObject.asymmetricKeyType !== 'ec' || keyObject.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw invalid(`${where.keyPath} is not an ECDSA P-256 key`);
  }
  if (!nodeCert.checkPrivateKey(keyObject)) {
    throw invalid(`${where.keyPath} does not belong to the certificate in ${where.certPath}`);
  }
  if (!nodeCert.ca)
    throw invalid(`${where.certPath} is not a CA certificate (BasicConstraints CA:FALSE or missing)`);
  const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
  if (keyUsage !== null && (keyUsage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw invalid(`${where.certPath} may not sign certificates (KeyUsage lacks keyCertSign)`);
  }
  return materialFrom(cert, certPem, pkcs8, keyObject);
}

async function materialFrom(
  cert: x509.X509Certificate,
  certPem: string,
  pkcs8: Uint8Array,
  signingKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }),
): Promise<CaMaterial> {
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const keyId =
    ski !== null ? ski.keyId : (await x509.SubjectKeyIdentifierExtension.create(cert.publicKey)).keyId;
  return {
    cert,
    certPem,
    signingKey,
    keyId,
    fingerprintSha256: createHash('sha256').update(new Uint8Array(cert.rawData)).digest('hex'),
    credentialKey: createHmac('sha256', pkcs8).update(CREDENTIAL_LABEL).digest(),
  };
}
