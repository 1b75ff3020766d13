/**
 * Synthetic secrets and PII for end-to-end tests: built to match the detector formats, never real values
 * and never the vendors' published examples (which detectors allowlist). `test/e2e/secrets.test.ts`
 * checks that the detectors find each one, so a test that relies on them cannot pass vacuously.
 */

/** AWS access key id: `AKIA` + 16 characters of [A-Z2-7]. */
export const AWS_KEY = 'AKIA' + 'Q7R2WZ4N6TKM3VHX';
/** GitHub classic PAT: `ghp_` + 36 base62 characters. */
export const GITHUB_PAT = 'ghp_' + 'T8kq2ZrW5mNv3XbY7cLd9FgH1jPs4QaE6uRo';
/** OpenAI-style project key, as a user might paste it into a prompt. */
export const OPENAI_KEY =
  'sk-proj-' + 'Rw7Tq2Lm9Xv4Kp8Zb3Nc6Hd1Jf5Gs0Ya' + 'T3BlbkFJ' + 'Ue2Wi8Oq4Pr7As1Df5Gh9Jk3Lz6Xc0Vb';
export const PRIVATE_KEY = [
  '-----BEGIN PRIVATE KEY-----',
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgT3s9Qm4vXh2Kc7Rz',
  'p1Lw8Nd5Fy0Gj6Hb3Vt9Xq2ShRANCAAQa7Lk3Mv9Pw2Nz5Qx8Rt1Yb4Ch7Dj0Fk6G',
  'm3Hn9Js2Kp5Lq8Mr1Ns4Ot7Pu0Qv3Rw6Sx9Ty2Uz5Va8Wb1Xc4Yd7Ze0Af3Bg6Ch',
  '-----END PRIVATE KEY-----',
].join('\n');
export const EMAIL = 'jane.doe@acme-corp.io';
export const CARD = '4111 1111 1111 1111';
export const IBAN = 'GB82 WEST 1234 5698 7654 32';
export const SSN = '536-22-8147';
export const URL_PASSWORD_SECRET = 'S3cr3tPassw0rd';
export const DB_URL = `postgres://app:${URL_PASSWORD_SECRET}@db.internal:5432/x`;
/** An HS256 JWT with an arbitrary (synthetic) signature. */
export const JWT = [
  Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"sub":"u-1029","name":"Jo Tester","iat":1716200000}').toString('base64url'),
  'Xq3Lw9Rt7Kp2Zm5Nb8Vc1Hd4Jf6Gs0YaTe3Ui9Oo2Pq',
].join('.');

/** Every synthetic value, by a short name used in test titles. */
export const SECRETS = {
  'AWS access key': AWS_KEY,
  'GitHub PAT': GITHUB_PAT,
  'OpenAI key': OPENAI_KEY,
  'private key': PRIVATE_KEY,
  email: EMAIL,
  'card number': CARD,
  IBAN: IBAN,
  'US SSN': SSN,
  'URL password': DB_URL,
  JWT: JWT,
} as const;

export type SecretName = keyof typeof SECRETS;

/**
 * The part of each value that must never reach the provider. For the URL, the password (the rest of the URL
 * may legitimately survive); for the private key, its body lines; otherwise the whole value, and for values
 * with separators also the digits or characters without them.
 */
export function needles(value: string): string[] {
  if (value === DB_URL) return [URL_PASSWORD_SECRET];
  if (value === PRIVATE_KEY) return value.split('\n').slice(1, -1);
  const out = [value];
  const compact = value.replace(/[\s-]/g, '');
  if (compact !== value) out.push(compact);
  return out;
}

/** All needles of all synthetic values. */
export const ALL_NEEDLES: readonly string[] = Object.values(SECRETS).flatMap(needles);
