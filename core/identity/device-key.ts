/**
 * The per-device DPoP key (ECDSA P-256). The interface hands out a WebCrypto key pair whose private half
 * is not extractable, which is all openid-client and the proof signer need: a hardware-backed store
 * (Secure Enclave, TPM via a PKCS#11 WebCrypto provider) can implement it without touching its callers.
 */
import { webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { z } from 'zod';
import { IdentityError } from '../errors.js';
import type { SecretStore } from './secret-store.js';

export interface DeviceKey {
  /** Private key not extractable; the public key exported in `publicJwk`. */
  readonly keyPair: webcrypto.CryptoKeyPair;
  readonly publicJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of tokens bound to this key, shown in status and audit. */
  readonly thumbprint: string;
}

export interface DeviceKeyStore {
  /** The device key, if one exists. */
  load(): Promise<DeviceKey | undefined>;
  /** The device key, created on first use. */
  loadOrCreate(): Promise<DeviceKey>;
  /** Forgets the key: tokens bound to it become useless everywhere. */
  destroy(): Promise<void>;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const KEY_ENTRY = 'dpop-key';

const privateJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
});

async function fromPrivateJwk(jwk: z.infer<typeof privateJwkSchema>): Promise<DeviceKey> {
  const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  let privateKey: webcrypto.CryptoKey;
  let publicKey: webcrypto.CryptoKey;
  try {
    privateKey = await webcrypto.subtle.importKey('jwk', { ...jwk, ext: false }, ALG, false, ['sign']);
    publicKey = await webcrypto.subtle.importKey('jwk', publicJwk, ALG, true, ['verify']);
  } catch (err) {
    // Well-formed JSON, but not a key WebCrypto accepts (a point off the curve): as damaged as bad JSON.
    throw new IdentityError(
      'LG_IDENTITY_KEYCHAIN_FAILED',
      'the device key in the keychain is damaged; run `llmgate logout` and sign in again',
      { cause: err },
    );
  }
  return {
    keyPair: { privateKey, publicKey },
    publicJwk,
    thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256'),
  };
}

/** A software key whose private JWK is kept in a `SecretStore` (the keychain) and nowhere else. */
export class SoftwareDeviceKeyStore implements DeviceKeyStore {
  private cached: DeviceKey | undefined;
  /** The one creation in flight: two sign-ins started together must not write two different keys. */
  private creating: Promise<DeviceKey> | undefined;
  constructor(private readonly secrets: SecretStore) {}

  async load(): Promise<DeviceKey | undefined> {
    if (this.cached !== undefined) return this.cached;
    const text = await this.secrets.get(KEY_ENTRY);
    if (text === undefined) return undefined;
    let parsed: z.infer<typeof privateJwkSchema>;
    try {
      parsed = privateJwkSchema.parse(JSON.parse(text));
    } catch {
      // A damaged entry cannot sign: say so without echoing it.
      throw new IdentityError(
        'LG_IDENTITY_KEYCHAIN_FAILED',
        'the device key in the keychain is damaged; run `llmgate logout` and sign in again',
      );
    }
    this.cached = await fromPrivateJwk(parsed);
    return this.cached;
  }

  loadOrCreate(): Promise<DeviceKey> {
    this.creating ??= this.doLoadOrCreate().finally(() => (this.creating = undefined));
    return this.creating;
  }

  private async doLoadOrCreate(): Promise<DeviceKey> {
    const existing = await this.load();
    if (existing !== undefined) return existing;
    // Generated extractable only long enough to be written to the keychain; the copy in memory is
    // re-imported non-extractable.
    const pair = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const jwk = privateJwkSchema.parse(await webcrypto.subtle.exportKey('jwk', pair.privateKey));
    await this.secrets.set(
      KEY_ENTRY,
      JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }),
    );
    this.cached = await fromPrivateJwk(jwk);
    return this.cached;
  }

  async destroy(): Promise<void> {
    this.cached = undefined;
    await this.secrets.delete(KEY_ENTRY);
  }
}
