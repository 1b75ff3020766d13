/**
 * The llmgate local certificate authority: the only import surface of `core/ca/`.
 *
 * Importing it also loads the Reflect metadata polyfill `@peculiar/x509` needs (see `x509.ts`).
 */
export { loadOrCreateCa, type LoadOrCreateCaOptions } from './load.js';
export type { LocalCa, CaRotation, CaRotationReason } from './local-ca.js';
export { writeTrustBundle, SYSTEM_BUNDLE_PATHS, type WriteTrustBundleOptions } from './trust-bundle.js';
export { CA_VALIDITY_DAYS } from './authority.js';
export { LEAF_VALIDITY_DAYS } from './leaf.js';
