/**
 * A loaded CA as the proxy uses it: name-constraint checks, per-host TLS contexts minted on demand and
 * cached, and the key from which the proxy derives its credentials.
 */
import tls from 'node:tls';

import { CaError, CodedTypeError } from '../errors.js';
import type { CaMaterial } from './authority.js';
import { hostPermitted, normaliseHost } from './hosts.js';
import { leafIssuer, leafNotAfter, mintLeaf, type LeafIssuer } from './leaf.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A cached context is replaced once its leaf has less than this left. */
export const LEAF_RENEW_BEFORE_MS = DAY_MS;
/** Cached hosts at most; subdomains of a permitted host are unbounded, memory is not. */
export const LEAF_CACHE_MAX = 1000;

/** Why `loadOrCreateCa` replaced an existing CA. */
export type CaRotationReason =
  /** `permittedHosts` names a host the existing CA's name constraints do not cover. */
  | 'hosts-added'
  /** The existing CA has expired or ends before a new leaf would. */
  | 'expiring'
  /** The existing CA lacks llmgate's name constraints (critical, DNS-only permits, all IPs excluded). */
  | 'constraints'
  /** Only one of the certificate and key files was found. */
  | 'incomplete';

export interface CaRotation {
  reason: CaRotationReason;
  /** One sentence for the user, e.g. which hosts were added. */
  message: string;
  /** SHA-256 fingerprint (hex) of the replaced certificate, when there was one. */
  previousFingerprintSha256: string | undefined;
}

interface CacheEntry {
  context: Promise<tls.SecureContext>;
  /** Epoch ms the leaf stops being valid. */
  notAfter: number;
}

export interface LocalCaInit {
  material: CaMaterial;
  certPath: string;
  keyPath: string;
  permittedHosts: readonly string[];
  certificatePermittedHosts: readonly string[];
  created: boolean;
  rotation: CaRotation | undefined;
  clock: () => Date;
}

export class LocalCa {
  /** The CA certificate, PEM. */
  readonly certPem: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** SHA-256 of the certificate's DER, lowercase hex without colons. */
  readonly fingerprintSha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The hosts (normalised) this CA mints for, with their subdomains: `permittedHosts` as asked for. */
  readonly permittedHosts: readonly string[];
  /** The dNSName subtrees the certificate's NameConstraints permit (a superset of `permittedHosts`). */
  readonly certificatePermittedHosts: readonly string[];
  /** True when this call wrote a new CA (first start or rotation). */
  readonly created: boolean;
  /** True when an existing CA was replaced; `rotation` says why. */
  readonly rotated: boolean;
  readonly rotation: CaRotation | undefined;

  readonly #material: CaMaterial;
  readonly #issuer: LeafIssuer;
  readonly #clock: () => Date;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(init: LocalCaInit) {
    this.#material = init.material;
    this.#issuer = leafIssuer(init.material);
    this.#clock = init.clock;
    this.certPem = init.material.certPem;
    this.certPath = init.certPath;
    this.keyPath = init.keyPath;
    this.fingerprintSha256 = init.material.fingerprintSha256;
    this.notBefore = init.material.cert.notBefore;
    this.notAfter = init.material.cert.notAfter;
    this.permittedHosts = Object.freeze([...init.permittedHosts]);
    this.certificatePermittedHosts = Object.freeze([...init.certificatePermittedHosts]);
    this.created = init.created;
    this.rotated = init.rotation !== undefined;
    this.rotation = init.rotation;
  }

  /** True when `host` (any case, optional trailing dot) is one of `permittedHosts` or a subdomain of one. IP literals never are. */
  permits(host: string): boolean {
    if (typeof host !== 'string') throw new CodedTypeError('host must be a string');
    const normalised = normaliseHost(host);
    return normalised !== undefined && hostPermitted(normalised, this.permittedHosts);
  }

  /**
   * A TLS context serving a leaf for exactly `host`, chain leaf + CA. Minted on first use and cached per
   * host; concurrent calls share one mint; a context is re-minted when its leaf has under a day left.
   * Rejects with `CaError` `LG_CA_HOST_NOT_PERMITTED` when `permits(host)` is false (nothing is minted).
   */
  secureContextFor(host: string): Promise<tls.SecureContext> {
    if (typeof host !== 'string') return Promise.reject(new CodedTypeError('host must be a string'));
    const normalised = normaliseHost(host);
    if (normalised === undefined || !hostPermitted(normalised, this.permittedHosts)) {
      return Promise.reject(
        new CaError(
          'LG_CA_HOST_NOT_PERMITTED',
          `the llmgate CA does not issue certificates for ${JSON.stringify(host)}; it permits ${this.permittedHosts.join(', ')} and their subdomains`,
        ),
      );
    }
    const now = this.#clock();
    const cached = this.#cache.get(normalised);
    if (cached !== undefined && cached.notAfter - now.getTime() >= LEAF_RENEW_BEFORE_MS) {
      // Refresh recency so the eviction below drops the least recently used host.
      this.#cache.delete(normalised);
      this.#cache.set(normalised, cached);
      return cached.context;
    }
    return this.#mint(normalised, now);
  }

  /**
   * 32 bytes for deriving the proxy's credentials: HMAC-SHA256 keyed with the CA private key's PKCS#8 DER
   * over the label "llmgate proxy credential v1". Stable while the CA is; a rotated CA yields a new one.
   * Returns a fresh copy each call.
   */
  credentialKey(): Buffer {
    return Buffer.from(this.#material.credentialKey);
  }

  #mint(host: string, now: Date): Promise<tls.SecureContext> {
    let context: Promise<tls.SecureContext>;
    try {
      const leaf = mintLeaf(this.#issuer, host, now);
      context = Promise.resolve(
        tls.createSecureContext({ key: leaf.keyPem, cert: leaf.certPem + this.certPem }),
      );
    } catch (err) {
      // Not cached: the next call tries again.
      return Promise.reject(
        new CaError('LG_CA_INVALID', `cannot mint a certificate for ${host}: ${(err as Error).message}`, {
          cause: err,
        }),
      );
    }
    const entry: CacheEntry = { context, notAfter: leafNotAfter(this.notAfter, now).getTime() };
    this.#cache.delete(host);
    this.#cache.set(host, entry);
    if (this.#cache.size > LEAF_CACHE_MAX) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    return context;
  }
}
