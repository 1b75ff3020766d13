import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Synthetic PuTTY key: the structure of a .ppk file, random base64 for its lines. */
const PPK = [
  'PuTTY-User-Key-File-3: ssh-ed25519',
  'Encryption: none',
  'Comment: eddsa-key-20241121',
  'Public-Lines: 2',
  'AAAAC3NzaC1lZDI1NTE5AAAAIHq7vLp2Zk9Tr4Wm8Nc3BhXe5Jd1Fs6Ga0Qy',
  'Rt8Uw2Ve4',
  'Private-Lines: 1',
  'AAAAIF7kP2xQ9vR4mL8wT3zN6cB1yH5jD0gS7aU2eK4oM9iX',
  'Private-MAC: 4f1c9a7e2b5d8c3f6a0e7b1d9c2f5a8e3b6d0c4f7a1e9b2d5c8f3a6e0b4d7c1f',
].join('\n');

const BODY =
  'fhFjzO49e+JRIlGXROrgiEN7AyUz5g9HrKGcxuFtkHNglOkZlW6Ua8v0X1eIdwpX\nUQTbcpGrD1fOosCfdZdHyUUZOJJdyL2A09fFpxhTp/vv5mBOMVIvD6ppmW1JDbla\n4xUV3u4hiO2f44ekTlDM/W5dn8E2B9D2/ftr5qEhBhGZqEBg1zDHheIaziJJsDnk\ncVuY3aAbpWLl4MEEGVnjBq4c2bedDKCiyMlfui+vd2FR2lUcth5rOlvic+tTSzpq';

/**
 * PEM / OpenSSH / PGP private key blocks, from the BEGIN line through the END line. The body may not contain
 * `-----` (so a missing END stops at the next armour line, not 16 KB later), and is at most 16 KB. A BEGIN
 * line followed by at least 64 base64 characters but no END line (a pasted, truncated key) is matched too, and
 * so is a BEGIN line with no END line followed on the next line by text (up to a blank line, an armour line or
 * 8 KB): a key cut short or written out by hand, unless the text is a stand-in (`...`, `<your key>`, `xxx`).
 * That last body is read once into a lookahead group and consumed by backreference, so it cannot backtrack
 * into a shorter match that would end before an END line.
 * Then the two other private key files people paste: SSH2 (RFC 4716) blocks and PuTTY .ppk files.
 */
export const privateKeyRules: readonly Rule[] = [
  {
    id: 'private-key',
    category: 'secret',
    description: 'Private key block (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8, PGP).',
    keywords: ['-----begin'],
    matchStart: [0, 0],
    pattern:
      /-----BEGIN[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----(?:(?:[^-]|-(?!----)){64,16384}?-----END[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----|(?:\\[rn]|[\sA-Za-z0-9+/=:,.-]){64,16384}|\r?\n(?=([^\s-](?:[^\n-]|-(?!----)|\n(?!\r?\n)){0,8191}))\1(?!-----))/,
    validate: (value) => {
      // At least one full base64 line's worth of key material, not `...` or `<key here>`.
      const bodyStart = value.indexOf('-----', 11) + 5;
      let run = 0;
      for (let i = bodyStart; i < value.length; i++) {
        const c = value.charCodeAt(i);
        const b64 =
          (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
        if (b64) {
          if (++run >= 40) return true;
        } else run = 0;
      }
      // Without an END line, a header followed by text on the next line is key material cut short, or an
      // attempt at writing one: text starting with a letter or digit that is not a stand-in.
      if (value.includes('-----END', bodyStart) || !/^\r?\n[A-Za-z0-9]/.test(value.slice(bodyStart)))
        return false;
      const body = value.slice(bodyStart).trim();
      return !PLACEHOLDER_ALLOWLIST.some((a) => a.test(body));
    },
    truePositives: [
      `-----BEGIN RSA PRIVATE KEY-----\n${BODY}\n-----END RSA PRIVATE KEY-----`,
      `key.pem:\n-----BEGIN PRIVATE KEY-----\n${BODY}\n-----END PRIVATE KEY-----\n`,
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${BODY}\n-----END OPENSSH PRIVATE KEY-----`,
      `-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,8A1F4C2D9E7B3A60\n\n${BODY}\n-----END EC PRIVATE KEY-----`,
      `{"private_key": "-----BEGIN ENCRYPTED PRIVATE KEY-----\\n${BODY.replace(/\n/g, '\\n')}\\n-----END ENCRYPTED PRIVATE KEY-----\\n"}`,
      `{"type": "service_account", "project_id": "demo-project", "private_key_id": "3f9a0c7e1b5d4f2a8c6e0b9d7f3a1c5e2b4d6f80", "private_key": "-----BEGIN PRIVATE KEY-----\\n${BODY.replace(/\n/g, '\\n')}\\n-----END PRIVATE KEY-----\\n", "client_email": "svc@demo-project.iam.gserviceaccount.com"}`,
      `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${BODY}\n=Xk2p\n-----END PGP PRIVATE KEY BLOCK-----`,
      `here is the start of it:\n-----BEGIN DSA PRIVATE KEY-----\n${BODY}\n`,
      'pasted from the server:\n-----BEGIN EC PRIVATE KEY-----\nkey material goes on here\n\nwhy does it fail?',
      '-----BEGIN PRIVATE KEY-----\r\nMIIEv short and cut',
    ],
    falsePositives: [
      `-----BEGIN PUBLIC KEY-----\n${BODY}\n-----END PUBLIC KEY-----`,
      `-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----`,
      '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----\n<paste your key here>\n-----END OPENSSH PRIVATE KEY-----',
      'if (pem.startsWith("-----BEGIN PRIVATE KEY-----")) return parsePkcs8(pem);',
      '-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----',
      '"private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"',
      '-----BEGIN RSA PRIVATE KEY-----\n<paste your key here>',
      '-----BEGIN PRIVATE KEY-----\n...',
      '-----BEGIN PRIVATE KEY-----\nxxxxxxxx\n',
      'const pem = `-----BEGIN PRIVATE KEY-----\n${body}`;',
      '-----BEGIN PRIVATE KEY-----\n\nThe header above starts a PKCS#8 file.',
      '-----BEGIN PRIVATE KEY-----\nshort note\n-----END PRIVATE KEY-----',
    ],
  },
  {
    id: 'ssh2-private-key',
    category: 'secret',
    description:
      'SSH2 (RFC 4716 / ssh.com) private key block, as exported by PuTTYgen: ---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----.',
    keywords: ['---- begin ssh2 encrypted private key ----'],
    matchStart: [0, 0],
    pattern:
      /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----(?:[^-]|-(?!--- END SSH2)){64,16384}(?:---- END SSH2 ENCRYPTED PRIVATE KEY ----)?/,
    // The body runs to the END line (it cannot pass `---- END SSH2`), or 16 KB without one.
    validate: (value) => /[A-Za-z0-9+/]{40}/.test(value),
    truePositives: [
      `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "rsa-key-20241121"\n${BODY}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----`,
    ],
    falsePositives: [
      '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n...\n---- END SSH2 ENCRYPTED PRIVATE KEY ----',
      `---- BEGIN SSH2 PUBLIC KEY ----\n${BODY}\n---- END SSH2 PUBLIC KEY ----`,
    ],
  },
  {
    id: 'putty-private-key',
    category: 'secret',
    description:
      'PuTTY private key file (.ppk, versions 2 and 3): from the header through the private lines.',
    keywords: ['putty-user-key-file-'],
    matchStart: [0, 0],
    // The header, then any lines up to `Private-Lines: N`, then the base64 lines up to `Private-MAC` (each
    // repetition is one character, so the runs stop at the next field deterministically).
    pattern:
      /PuTTY-User-Key-File-[23]: ?[a-z0-9@.-]{3,64}\r?\n(?:[^\n]|\n(?!Private-Lines:)){0,8192}\nPrivate-Lines: ?\d{1,3}\r?\n(?:[A-Za-z0-9+/=\r]|\n(?!Private-MAC)){16,16384}/,
    validate: (value) => /Private-Lines: ?\d{1,3}\r?\n[A-Za-z0-9+/]{16}/.test(value),
    truePositives: [
      PPK,
      `key.ppk:\n${PPK.replace('Encryption: none', 'Encryption: aes256-cbc').replace('-3:', '-2:')}`,
      PPK.replace(/\n/g, '\r\n'),
    ],
    falsePositives: [
      'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: key\nPublic-Lines: 2\n...',
      'PuTTY-User-Key-File-2 is the older .ppk format; PuTTYgen converts it.',
      'PuTTY-User-Key-File-3: ssh-rsa\nPrivate-Lines: 1\n<private lines here>',
    ],
  },
];
