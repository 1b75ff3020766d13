import { x509, subtle, EC_KEY } from '../../../core/ca/x509.ts';
import { performance } from 'node:perf_hooks';
const keys = await subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
const ca = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=x', keys, extensions: [await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)] });
const leafKeys = await subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
const pub = new x509.PublicKey(await subtle.exportKey('spki', leafKeys.publicKey));
const fixed = [
  new x509.BasicConstraintsExtension(false, undefined, false),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
  new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
  new x509.AuthorityKeyIdentifierExtension(ca.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId, false),
];
const issuer = ca.subjectName;
const N = 500;
let t = performance.now();
for (let i = 0; i < N; i++) {
  const c = await x509.X509CertificateGenerator.create({ subject: [{ CN: [`h${i}.a.com`] }], issuer, publicKey: pub, signingKey: keys.privateKey, extensions: [...fixed, new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: `h${i}.a.com` }])] });
  c.toString('pem');
}
console.log('generator cached ext ms', (performance.now() - t) / N);
t = performance.now();
for (let i = 0; i < N; i++) ca.toString('pem');
console.log('toString pem ms', (performance.now() - t) / N);
