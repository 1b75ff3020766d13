/**
 * Verifies a signed org policy: a compact JWS whose payload is the policy document, signed with one of
 * the keys IT pinned in config (never a key named by the token itself). Then checks expiry and that the
 * version only goes forward. Pure: keys, clock and the highest version seen are passed in.
 */
import { createHash } from 'node:crypto';
import { compactVerify, createLocalJWKSet, errors as joseErrors, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { PolicyError } from '../errors.js';
import { policyDocumentSchema, type PolicyDocument } from './schema.js';

/** Asymmetric algorithms only: a shared secret would let any holder of the config sign policies. */
export const POLICY_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'RS256', 'PS256', 'PS384'];

export const jwksSchema = z.object({
  keys: z
    .array(
      z
        .object({ kty: z.string(), kid: z.string().optional() })
        .loose()
        .refine((k) => !('d' in k), 'a private key; pin public keys only'),
    )
    .min(1),
});

export interface PolicyVersionSeen {
  readonly version: number;
  /** SHA-256 of the payload of that version: the same version must always carry the same policy. */
  readonly digest: string;
}

export interface VerifyPolicyOptions {
  readonly jwks: JSONWebKeySet;
  readonly now: Date;
  /** The highest version this machine has accepted before. */
  readonly seen?: PolicyVersionSeen;
}

export interface VerifiedPolicy {
  readonly document: PolicyDocument;
  readonly kid: string | undefined;
  readonly alg: string;
  readonly digest: string;
}

/** Parses a policy document, listing every problem with its path. */
export function parsePolicyDocument(value: unknown, source: string): PolicyDocument {
  const result = policyDocumentSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PolicyError('LG_POLICY_INVALID', `${source} is not a valid policy:\n${lines.join('\n')}`, {
      cause: result.error,
    });
  }
  return result.data;
}

/** Expiry and version checks, shared by signed policies read from the network and from the cache. */
export function checkFreshness(
  document: PolicyDocument,
  digest: string,
  now: Date,
  seen: PolicyVersionSeen | undefined,
): void {
  if (document.expiresAt === undefined) {
    throw new PolicyError(
      'LG_POLICY_INVALID',
      'The org policy has no expiresAt; signed policies must expire.',
    );
  }
  if (now.getTime() >= Date.parse(document.expiresAt)) {
    throw new PolicyError(
      'LG_POLICY_EXPIRED',
      `The org policy ${document.id} version ${document.version} expired at ${document.expiresAt}.`,
    );
  }
  if (seen !== undefined) {
    if (document.version < seen.version || (document.version === seen.version && digest !== seen.digest)) {
      throw new PolicyError(
        'LG_POLICY_ROLLBACK',
        `The org policy version ${document.version} is not newer than version ${seen.version} already in force.`,
      );
    }
  }
}

export async function verifyPolicyJws(jws: string, options: VerifyPolicyOptions): Promise<VerifiedPolicy> {
  if (options.jwks.keys.length === 0) {
    throw new PolicyError(
      'LG_POLICY_UNKNOWN_KEY',
      'No pinned policy keys are available to verify the org policy with.',
    );
  }
  let payload: Uint8Array;
  let alg: string;
  let kid: string | undefined;
  try {
    const result = await compactVerify(jws.trim(), createLocalJWKSet(options.jwks), {
      algorithms: POLICY_ALGORITHMS,
    });
    payload = result.payload;
    alg = result.protectedHeader.alg;
    kid = result.protectedHeader.kid;
  } catch (err) {
    if (err instanceof joseErrors.JWKSNoMatchingKey) {
      throw new PolicyError(
        'LG_POLICY_UNKNOWN_KEY',
        'The org policy is signed with a key that is not pinned in config.',
        {
          cause: err,
        },
      );
    }
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new PolicyError(
        'LG_POLICY_BAD_SIGNATURE',
        'The org policy signature does not verify: it was altered.',
        {
          cause: err,
        },
      );
    }
    throw new PolicyError(
      'LG_POLICY_INVALID',
      `The org policy is not a valid JWS: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const digest = createHash('sha256').update(payload).digest('hex');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (err) {
    throw new PolicyError('LG_POLICY_INVALID', 'The org policy payload is not JSON.', { cause: err });
  }
  const document = parsePolicyDocument(json, 'the org policy');
  checkFreshness(document, digest, options.now, options.seen);
  return { document, kid, alg, digest };
}
