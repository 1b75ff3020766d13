/**
 * DNS host names as the CA sees them: normalised once, matched the way RFC 5280 section 4.2.1.10 matches
 * a dNSName constraint (the name itself or any name made by adding labels on its left).
 */

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lowercases and drops one trailing dot; returns undefined when `value` is not a plain DNS host name. */
export function normaliseHost(value: string): string | undefined {
  let host = value.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.length === 0 || host.length > 253) return undefined;
  const labels = host.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  // An all-numeric last label is an IPv4 literal (or nonsense), never a DNS host.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return host;
}

/** True when `host` equals `base` or is a subdomain of it (dot boundary, so `xopenai.com` is not under `openai.com`). */
export function hostWithin(host: string, base: string): boolean {
  return (
    host === base ||
    (host.length > base.length && host.endsWith(base) && host[host.length - base.length - 1] === '.')
  );
}

/** True when some entry of `bases` covers `host`. Both sides must already be normalised. */
export function hostPermitted(host: string, bases: readonly string[]): boolean {
  for (const base of bases) if (hostWithin(host, base)) return true;
  return false;
}
