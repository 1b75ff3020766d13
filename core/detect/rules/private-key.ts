import type { Rule } from '../types.js';

const BODY =
  'fhFjzO49e+JRIlGXROrgiEN7AyUz5g9HrKGcxuFtkHNglOkZlW6Ua8v0X1eIdwpX\nUQTbcpGrD1fOosCfdZdHyUUZOJJdyL2A09fFpxhTp/vv5mBOMVIvD6ppmW1JDbla\n4xUV3u4hiO2f44ekTlDM/W5dn8E2B9D2/ftr5qEhBhGZqEBg1zDHheIaziJJsDnk\ncVuY3aAbpWLl4MEEGVnjBq4c2bedDKCiyMlfui+vd2FR2lUcth5rOlvic+tTSzpq';

/**
 * PEM / OpenSSH / PGP private key blocks, from the BEGIN line through the END line. The body may not contain
 * `-----` (so a missing END stops at the next armour line, not 16 KB later), and is at most 16 KB. A BEGIN
 * line followed by at least 64 base64 characters but no END line (a pasted, truncated key) is matched too.
 */
export const privateKeyRules: readonly Rule[] = [
  {
    id: 'private-key',
    category: 'secret',
    description: 'Private key block (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8, PGP).',
    keywords: ['-----begin'],
    matchStart: [0, 0],
    pattern:
      /-----BEGIN[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----(?:(?:[^-]|-(?!----)){64,16384}?-----END[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----|(?:\\[rn]|[\sA-Za-z0-9+/=:,.-]){64,16384})/,
    validate: (value) => {
      // At least one full base64 line's worth of key material, not `...` or `<key here>`.
      let run = 0;
      for (let i = value.indexOf('-----', 11) + 5; i < value.length; i++) {
        const c = value.charCodeAt(i);
        const b64 =
          (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
        if (b64) {
          if (++run >= 40) return true;
        } else run = 0;
      }
      return false;
    },
    truePositives: [
      `-----BEGIN RSA PRIVATE KEY-----\n${BODY}\n-----END RSA PRIVATE KEY-----`,
      `key.pem:\n-----BEGIN PRIVATE KEY-----\n${BODY}\n-----END PRIVATE KEY-----\n`,
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${BODY}\n-----END OPENSSH PRIVATE KEY-----`,
      `-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,8A1F4C2D9E7B3A60\n\n${BODY}\n-----END EC PRIVATE KEY-----`,
      `{"private_key": "-----BEGIN ENCRYPTED PRIVATE KEY-----\\n${BODY.replace(/\n/g, '\\n')}\\n-----END ENCRYPTED PRIVATE KEY-----\\n"}`,
      `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${BODY}\n=Xk2p\n-----END PGP PRIVATE KEY BLOCK-----`,
      `here is the start of it:\n-----BEGIN DSA PRIVATE KEY-----\n${BODY}\n`,
    ],
    falsePositives: [
      `-----BEGIN PUBLIC KEY-----\n${BODY}\n-----END PUBLIC KEY-----`,
      `-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----`,
      '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----\n<paste your key here>\n-----END OPENSSH PRIVATE KEY-----',
      'if (pem.startsWith("-----BEGIN PRIVATE KEY-----")) return parsePkcs8(pem);',
    ],
  },
];
