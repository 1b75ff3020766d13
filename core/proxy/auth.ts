import { timingSafeEqual } from 'node:crypto';

/** The user name in the proxy URL; the password is the proxy credential. */
export const PROXY_USER = 'llmgate';

function sameSecret(given: string, expected: Buffer): boolean {
  const buf = Buffer.from(given, 'utf8');
  return buf.length === expected.length && timingSafeEqual(buf, expected);
}

/** Checks `Proxy-Authorization: Basic base64(llmgate:<credential>)` in constant time. */
export function checkProxyAuthorization(header: string | undefined, credential: Buffer): boolean {
  if (header === undefined) return false;
  const space = header.indexOf(' ');
  if (space === -1 || header.slice(0, space).toLowerCase() !== 'basic') return false;
  const decoded = Buffer.from(header.slice(space + 1).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return false;
  return sameSecret(decoded.slice(colon + 1), credential);
}

export function checkPathToken(token: string, credential: Buffer): boolean {
  return sameSecret(token, credential);
}

export const PROXY_AUTH_HINT =
  'llmgate: proxy credentials required. Set HTTPS_PROXY from `eval "$(llmgate env)"` (it carries them).';
