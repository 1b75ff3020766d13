/**
 * Leaf certificates for intercepted hosts. One ECDSA P-256 key pair serves every leaf of the process
 * (generated on first use, never written to disk), so minting costs one signature and no key generation.
 */
import { EC_KEY, subtle, x509 } from './x509.js';
import { randomSerial, type CaMaterial } from './authority.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Leaf lifetime. Far under the 397-day browser limit; the cache re-mints long before it ends. */
export const LEAF_VALIDITY_DAYS = 30;
/** Leaves start an hour early to tolerate clock skew between llmgate and its clients. */
export const LEAF_BACKDATE_MS = HOUR_MS;

interface LeafKey {
  publicKey: x509.PublicKey;
  keyPem: string;
}

let leafKeyPromise: Promise<LeafKey> | undefined;

/** The process-wide leaf key pair, generated once. */
export function leafKey(): Promise<LeafKey> {
  leafKeyPromise ??= (async () => {
    const keys = await subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
    const spki = await subtle.exportKey('spki', keys.publicKey);
    const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
    return { publicKey: new x509.PublicKey(spki), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n' };
  })();
  leafKeyPromise.catch(() => {
    leafKeyPromise = undefined;
  });
  return leafKeyPromise;
}

/** When a leaf minted at `now` ends: 30 days on, or the CA's own end if sooner. */
export function leafNotAfter(caNotAfter: Date, now: Date): Date {
  return new Date(Math.min(now.getTime() + LEAF_VALIDITY_DAYS * DAY_MS, caNotAfter.getTime()));
}

export interface MintedLeaf {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

/**
 * Signs a server certificate for exactly `host` (already normalised and checked against the constraints):
 * SAN dNSName and CN `host`, EKU serverAuth, KeyUsage digitalSignature (critical), CA:FALSE,
 * AuthorityKeyIdentifier of the CA, random positive 16-byte serial, valid from an hour ago for 30 days
 * (never past the CA's own end).
 */
export async function mintLeaf(ca: CaMaterial, host: string, now: Date): Promise<MintedLeaf> {
  const key = await leafKey();
  const notAfter = leafNotAfter(ca.cert.notAfter, now);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [host] }],
    issuer: ca.cert.subjectName,
    notBefore: new Date(now.getTime() - LEAF_BACKDATE_MS),
    notAfter,
    publicKey: key.publicKey,
    signingKey: ca.signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }], false),
      new x509.AuthorityKeyIdentifierExtension(ca.keyId, false),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: key.keyPem, notAfter };
}
