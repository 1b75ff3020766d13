import { x509, subtle, EC_KEY } from '../../../core/ca/x509.ts';
import * as asn1X509 from '@peculiar/asn1-x509';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { createPrivateKey, sign, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
const keys = await subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
const caKey = createPrivateKey({ key: Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
const ca = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=x', keys, extensions: [new x509.BasicConstraintsExtension(true, 0, true), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)] });
const leafKeys = await subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
const leafKeyPem = x509.PemConverter.encode(await subtle.exportKey('pkcs8', leafKeys.privateKey), 'PRIVATE KEY');
const spki = AsnConvert.parse(await subtle.exportKey('spki', leafKeys.publicKey), asn1X509.SubjectPublicKeyInfo);
const caAsn = AsnConvert.parse(ca.rawData, asn1X509.Certificate);
const issuer = caAsn.tbsCertificate.subject;
const sigAlg = new asn1X509.AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' });
const fixedExt = [
  new x509.BasicConstraintsExtension(false, undefined, false),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
  new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
  new x509.AuthorityKeyIdentifierExtension(ca.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId, false),
].map((e) => AsnConvert.parse(e.rawData, asn1X509.Extension));
function mint(host: string, now: number) {
  const serial = randomBytes(16); serial[0] = (serial[0]! & 0x7f) | 0x40;
  const sanValue = AsnConvert.serialize(new asn1X509.SubjectAlternativeName([new asn1X509.GeneralName({ dNSName: host })]));
  const san = new asn1X509.Extension({ extnID: asn1X509.id_ce_subjectAltName, critical: false, extnValue: new OctetString(sanValue) });
  const subject = new asn1X509.Name([new asn1X509.RelativeDistinguishedName([new asn1X509.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1X509.AttributeValue({ utf8String: host }) })])]);
  const tbs = new asn1X509.TBSCertificate({
    version: asn1X509.Version.v3,
    serialNumber: serial.buffer.slice(serial.byteOffset, serial.byteOffset + 16),
    signature: sigAlg,
    issuer,
    validity: new asn1X509.Validity({ notBefore: new Date(now - 3600e3), notAfter: new Date(now + 30 * 86400e3) }),
    subject,
    subjectPublicKeyInfo: spki,
    extensions: new asn1X509.Extensions([...fixedExt, san]),
  });
  const tbsDer = AsnConvert.serialize(tbs);
  const signature = sign('sha256', new Uint8Array(tbsDer), caKey); // DER ECDSA-Sig-Value
  const cert = new asn1X509.Certificate({ tbsCertificate: tbs, signatureAlgorithm: sigAlg, signatureValue: signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.length) });
  const der = Buffer.from(AsnConvert.serialize(cert));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}
const pem = mint('api.openai.com', Date.now());
import { writeFileSync } from 'node:fs';
writeFileSync('/tmp/catry/proto-leaf.pem', pem); writeFileSync('/tmp/catry/proto-ca.pem', ca.toString('pem'));
const N = 500;
let t = performance.now();
for (let i = 0; i < N; i++) mint(`h${i}.openai.com`, Date.now());
console.log('asn1 mint ms', (performance.now() - t) / N);
t = performance.now();
for (let i = 0; i < N; i++) tls.createSecureContext({ key: leafKeyPem, cert: mint(`h${i}.openai.com`, Date.now()) + ca.toString('pem') });
console.log('asn1 mint + ctx ms', (performance.now() - t) / N);
