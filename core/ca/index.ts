/**
 * The llmgate local certificate authority: the only import surface of `core/ca/`.
 */
export { loadOrCreateCa, type LoadOrCreateCaOptions } from './load.js';
export {
  LocalCa,
  LEAF_CACHE_MAX,
  LEAF_RENEW_BEFORE_MS,
  type CaRotation,
  type CaRotationReason,
} from './local-ca.js';
export { LEAF_VALIDITY_DAYS } from './leaf.js';
export { CA_VALIDITY_DAYS } from './authority.js';
export { writeTrustBundle, SYSTEM_BUNDLE_PATHS, type WriteTrustBundleOptions } from './trust-bundle.js';
