/** DPoP proofs (RFC 9449 section 4) for requests llmgate sends to the organisation's backends. */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DeviceKey } from './device-key.js';

export interface ProofOptions {
  readonly method: string;
  /** The target URL; query and fragment are dropped as section 4.2 requires. */
  readonly url: string;
  /** Binds the proof to this access token (`ath`). */
  readonly accessToken?: string;
  /** A server-provided `DPoP-Nonce`. */
  readonly nonce?: string;
  /** Seconds since the epoch; defaults to now. */
  readonly now?: number;
}

/** `htu`: scheme, host, port and path of the request, no query or fragment. */
export function htuOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** `ath`: base64url SHA-256 of the access token's ASCII bytes. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

export async function createProof(key: DeviceKey, options: ProofOptions): Promise<string> {
  const claims: Record<string, string> = { htm: options.method.toUpperCase(), htu: htuOf(options.url) };
  if (options.accessToken !== undefined) claims.ath = accessTokenHash(options.accessToken);
  if (options.nonce !== undefined) claims.nonce = options.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk })
    .setJti(randomUUID())
    .setIssuedAt(options.now ?? Math.floor(Date.now() / 1000))
    .sign(key.keyPair.privateKey);
}
