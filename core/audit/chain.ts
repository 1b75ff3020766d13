/**
 * The hash chain (issue 7). Each event's `hash` is the SHA-256 (lowercase hex) of its RFC 8785 (JCS)
 * canonical JSON without the `hash` member; `prevHash` is the previous event's `hash` (null for the first
 * event a device ever wrote). JCS makes the hash independent of member order and number formatting, so a
 * collector that re-parses the OTLP body can check the same chain.
 *
 * `canonicalize` is pinned to 2.x: its later majors require Node 22, and the chain must not depend on a
 * hand-written encoder whose number formatting could drift from the RFC.
 */
import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { AuditEvent } from './event.js';

// canonicalize 2.x is CommonJS (`module.exports = serialize`) typed as an ES default export; under
// NodeNext TypeScript reads the default as the module object, while Node hands over the function itself.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON encoding');
  return text;
}

/** The hash an event must carry: over everything in it but `hash` itself. */
export function eventHash(event: Omit<AuditEvent, 'hash'> & { hash?: unknown }): string {
  const { hash: _hash, ...rest } = event;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}
