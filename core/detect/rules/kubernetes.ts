import type { Rule } from '../types.js';

/** Synthetic Secret data: base64 of random values. */
const DB_PASSWORD = Buffer.from('Tq8zW3kP9vN2xR7m').toString('base64');
const API_TOKEN = Buffer.from('svc-7f3c9a1b27d4e8c6b0a5d9e2').toString('base64');

/** A synthetic PEM private key header and body, base64-encoded as a Secret or a Helm value carries it. */
const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAq7vLp2Zk9Tr4Wm8Nc3BhXe5Jd1Fs6Ga0QyRt8Uw2Ve4F7kP2',
  'xQ9vR4mL8wT3zN6cB1yH5jD0gS7aU2eK4oM9iXfhFjzO49e+JRIlGXROrgiEN7Ay',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const PEM_BASE64 = Buffer.from(PEM).toString('base64');

function decodesToPrivateKey(value: string): boolean {
  // The header is within the first 60 decoded bytes: decode 80 characters (a multiple of 4) and look for it.
  const head = Buffer.from(value.replace(/\s/g, '').slice(0, 80), 'base64').toString('latin1');
  return /^-----BEGIN[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----/.test(head);
}

/** `kind: Secret` as YAML writes it, quoted or not. */
const KIND_SECRET = ['kind: secret', 'kind: "secret"', "kind: 'secret'", 'kind:secret'];
/**
 * The entries of a data block: indented lines (`key: value`, `key: |` and its continuation lines), without the
 * last line break. A line cannot end inside an entry, so the repetition splits the block one way only and
 * stays linear.
 */
const BLOCK = '[ \\t]{1,16}[^\\n]{1,8192}(?:\\n[ \\t]{1,16}[^\\n]{1,8192}){0,511}';

/**
 * Kubernetes Secret manifests, whose `data` values are base64 and so invisible to every other rule, and PEM
 * private keys base64-encoded whole (a Secret's `tls.key`, a Helm value, an env var).
 */
export const kubernetesRules: readonly Rule[] = [
  {
    id: 'kubernetes-secret',
    category: 'secret',
    description:
      'The data or stringData block of a Kubernetes Secret manifest written kind first: every key and value in it.',
    keywords: KIND_SECRET,
    matchStart: [0, 0],
    // From the kind line, up to 32 lines of other keys (metadata, type), then the block.
    pattern: new RegExp(
      `kind:[ \\t]?(["']?)Secret\\1[ \\t]*\\r?\\n(?:[^\\n]{0,512}\\n){0,32}?(?:data|stringData):[ \\t]*\\r?\\n(${BLOCK})`,
    ),
    secretGroup: 2,
    truePositives: [
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: ${DB_PASSWORD}\n  token: ${API_TOKEN}\n`,
      `kind: "Secret"\nstringData:\n  config.yaml: |\n    user: app\n    password: plain-text-here\n`,
    ],
    falsePositives: [
      `apiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: debug\n`,
      'kind: Secret\nmetadata:\n  name: empty\n',
      'kind: Secret\ndata:\nmetadata:\n  name: x\n',
    ],
  },
  {
    id: 'kubernetes-secret-sorted',
    category: 'secret',
    description:
      'The data block of a Kubernetes Secret as kubectl prints it (keys sorted, data before kind): every key and value in it.',
    keywords: KIND_SECRET,
    matchStart: [0, 0],
    // The match is the kind line; the block sits in a lookbehind right before it (at most an `immutable` line
    // between), and the finding starts and ends with the block (startGroup and secretGroup).
    pattern: new RegExp(
      `(?<=(?:^|\\n)data:[ \\t]*\\r?\\n(${BLOCK})\\r?\\n(?:immutable:[^\\n]{0,16}\\n)?)kind:[ \\t]?(["']?)Secret\\2(?![\\w-])`,
    ),
    secretGroup: 1,
    startGroup: 1,
    truePositives: [
      `apiVersion: v1\ndata:\n  password: ${DB_PASSWORD}\n  token: ${API_TOKEN}\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\n`,
    ],
    falsePositives: [
      `apiVersion: v1\ndata:\n  LOG_LEVEL: debug\nkind: ConfigMap\n`,
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: empty\n',
    ],
  },
  {
    id: 'private-key-base64',
    category: 'secret',
    description: 'A PEM private key, base64-encoded whole (Kubernetes tls.key, Helm values, env vars).',
    // `-----BEGIN` encoded from the start of the data, as a whole PEM file is (wrapped lines allowed).
    keywords: ['ls0tls1crudjti'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9+/])LS0tLS1CRUdJTi(?:[A-Za-z0-9+/]|\r?\n(?=[A-Za-z0-9+/])){80,65536}={0,2}/,
    validate: decodesToPrivateKey,
    truePositives: [
      `  tls.key: ${PEM_BASE64}`,
      `PRIVATE_KEY_B64="${PEM_BASE64}"`,
      `$ base64 key.pem\n${PEM_BASE64.replace(/.{76}/g, '$&\n')}`,
    ],
    falsePositives: [
      `  tls.crt: ${Buffer.from(PEM.replace(/RSA PRIVATE KEY/g, 'CERTIFICATE')).toString('base64')}`,
      'header LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ', // the header alone: no key material
    ],
  },
];
