/**
 * Checkpoint signing. The daemon injects a `CheckpointSigner`; the audit log never sees a private key.
 *
 * INTERIM: `loadOrCreateFileSigner` keeps a P-256 key per device in `$LLMGATE_HOME/audit-signing-key.json`
 * (0600, inside the 0700 home). It protects the chain against edits by anything that cannot read the
 * owner's files; it does not protect against the owner's own account. The device identity key (the DPoP
 * key in the OS keychain, issue 5) replaces it behind this same interface.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { AuditError } from '../errors.js';

export interface CheckpointSigner {
  /** The public key (EC P-256 JWK) a collector or `audit verify` checks signatures with. */
  readonly publicJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint of `publicJwk`: the device's key id. */
  readonly thumbprint: string;
  /** A compact JWS (ES256) over `payload`; the protected header carries `kid` and `jwk`. */
  sign(payload: Uint8Array): Promise<string>;
}

const privateJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  d: z.string(),
});

export async function signerFromJwk(privateJwk: JWK): Promise<CheckpointSigner> {
  const key = await importJWK(privateJwk, 'ES256');
  const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y };
  const thumbprint = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    publicJwk,
    thumbprint,
    sign: (payload) =>
      new CompactSign(payload)
        .setProtectedHeader({ alg: 'ES256', typ: 'llmgate-checkpoint+jws', kid: thumbprint, jwk: publicJwk })
        .sign(key),
  };
}

/** Reads the device's checkpoint key, creating it (0600) on first use. */
export async function loadOrCreateFileSigner(file: string): Promise<CheckpointSigner> {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new AuditError('LG_AUDIT_KEY_INVALID', `cannot read ${file}: ${(err as Error).message}`, {
        cause: err,
      });
  }
  if (text !== undefined) {
    let parsed: z.infer<typeof privateJwkSchema>;
    try {
      parsed = privateJwkSchema.parse(JSON.parse(text));
    } catch (err) {
      throw new AuditError('LG_AUDIT_KEY_INVALID', `${file} is not a P-256 private JWK`, { cause: err });
    }
    return signerFromJwk(parsed);
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return signerFromJwk(jwk);
}

/** The public half of the file key, for `audit verify` (which never needs the private key). */
export async function readFileSignerThumbprint(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = privateJwkSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: parsed.data.x, y: parsed.data.y }, 'sha256');
}
