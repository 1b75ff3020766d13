/** Sign-in (OIDC + DPoP), the device key, the keychain, and the helper backends use to verify identity. */
export {
  IdentityService,
  type IdentityServiceOptions,
  type IdentityStatus,
  type IdentitySettings,
  type OidcSettings,
  type LoginMethod,
  type LoginStart,
  type LoginWait,
  type LogoutResult,
  type BackendCredentials,
} from './service.js';
export {
  KeychainStore,
  PlaintextFileStore,
  probeKeychain,
  NO_KEYCHAIN_HELP,
  type SecretStore,
} from './secret-store.js';
export { SoftwareDeviceKeyStore, type DeviceKey, type DeviceKeyStore } from './device-key.js';
export { createProof, accessTokenHash, htuOf, type ProofOptions } from './proof.js';
export {
  verifyDpopRequest,
  introspectionResolver,
  ReplayCache,
  tokenInfoSchema,
  type TokenInfo,
  type TokenResolver,
  type VerifyDpopRequestOptions,
  type VerifiedRequest,
  type IntrospectionOptions,
  type FetchLike,
} from './verify.js';
export { IdpClient, type TokenResult, type UserClaims } from './idp.js';
export { loadSession, type Session } from './session.js';
