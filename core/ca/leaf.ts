/**
 * Leaf certificates for intercepted hosts.
 *
 * One ECDSA P-256 key pair serves every leaf of the process (generated on first use, never written to
 * disk), and everything a leaf shares with its siblings (issuer name, public key, the four fixed
 * extensions, the signature algorithm) is encoded once per CA. A mint then builds the TBSCertificate with
 * `@peculiar/asn1-x509` and signs it with Node's synchronous `crypto.sign`: about 0.6 ms, against 2.4 ms
 * through `X509CertificateGenerator` (which re-encodes names and extensions, signs on the thread pool and
 * parses its own output back).
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  GeneralName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_subjectAltName,
} from '@peculiar/asn1-x509';

import type { CaMaterial } from './authority.js';
import { x509 } from './x509.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Leaf lifetime. Far under the 397-day browser limit; the cache re-mints long before it ends. */
export const LEAF_VALIDITY_DAYS = 30;
/** Leaves start an hour early to tolerate clock skew between llmgate and its clients. */
export const LEAF_BACKDATE_MS = HOUR_MS;

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';

interface LeafKey {
  spki: SubjectPublicKeyInfo;
  keyPem: string;
}

let leafKeyPair: LeafKey | undefined;

/** The process-wide leaf key pair, generated on first use. */
export function leafKey(): LeafKey {
  if (leafKeyPair === undefined) {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    leafKeyPair = {
      spki: AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo),
      keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }
  return leafKeyPair;
}

/** What every leaf of one CA has in common, encoded once. */
export interface LeafIssuer {
  signingKey: KeyObject;
  issuer: Name;
  caNotAfter: Date;
  signatureAlgorithm: AlgorithmIdentifier;
  /** BasicConstraints CA:FALSE, KeyUsage digitalSignature (critical), EKU serverAuth, AuthorityKeyIdentifier. */
  fixedExtensions: Extension[];
}

export function leafIssuer(ca: CaMaterial): LeafIssuer {
  const fixed = [
    new x509.BasicConstraintsExtension(false, undefined, false),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
    new x509.AuthorityKeyIdentifierExtension(ca.keyId, false),
  ];
  return {
    signingKey: ca.signingKey,
    // The CA's subject exactly as encoded in its certificate, so issuer and subject match byte for byte.
    issuer: AsnConvert.parse(ca.cert.rawData, Certificate).tbsCertificate.subject,
    caNotAfter: ca.cert.notAfter,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    fixedExtensions: fixed.map((ext) => AsnConvert.parse(ext.rawData, Extension)),
  };
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
 * SAN dNSName and CN `host`, the fixed extensions above, a random positive 16-byte serial, valid from an
 * hour ago for 30 days (never past the CA's own end).
 */
export function mintLeaf(issuer: LeafIssuer, host: string, now: Date): MintedLeaf {
  const key = leafKey();
  const notAfter = leafNotAfter(issuer.caNotAfter, now);
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, and exactly 16 octets once DER-encoded

  const san = new Extension({
    extnID: id_ce_subjectAltName,
    critical: false,
    extnValue: new OctetString(
      AsnConvert.serialize(new SubjectAlternativeName([new GeneralName({ dNSName: host })])),
    ),
  });
  const subject = new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: host }) }),
    ]),
  ]);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(serial),
    signature: issuer.signatureAlgorithm,
    issuer: issuer.issuer,
    validity: new Validity({ notBefore: new Date(now.getTime() - LEAF_BACKDATE_MS), notAfter }),
    subject,
    subjectPublicKeyInfo: key.spki,
    extensions: new Extensions([...issuer.fixedExtensions, san]),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  // Node returns ECDSA signatures as a DER Ecdsa-Sig-Value, which is what X.509 carries.
  const signature = sign('sha256', tbsDer, issuer.signingKey);
  const der = AsnConvert.serialize(
    new Certificate({
      tbsCertificate: tbs,
      signatureAlgorithm: issuer.signatureAlgorithm,
      signatureValue: toArrayBuffer(signature),
    }),
  );
  return { certPem: toPem(Buffer.from(der)), keyPem: key.keyPem, notAfter };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
