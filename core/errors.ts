/**
 * One error base for all of llmgate. The `code` is API (control-API replies, audit events and the proxy's
 * 4xx bodies carry it); the message is for people and may change.
 */
/** Every code llmgate gives an error: the union below, and a runtime check for codes read off the wire. */
export const LLMGATE_ERROR_CODES = [
  'LG_CONFIG_INVALID',
  'LG_CONFIG_UNREADABLE',
  'LG_CA_INVALID',
  'LG_CA_HOST_NOT_PERMITTED',
  'LG_CA_UNWRITABLE',
  'LG_CONTROL_DAEMON_DOWN',
  'LG_CONTROL_BAD_REQUEST',
  'LG_CONTROL_FORBIDDEN',
  'LG_CONTROL_BAD_REPLY',
  'LG_DAEMON_ALREADY_RUNNING',
  'LG_PIPELINE_UNSCANNABLE',
  'LG_PIPELINE_TOO_LARGE',
  'LG_PIPELINE_BAD_ENCODING',
  'LG_PIPELINE_BLOCKED',
  'LG_PROXY_CLIENT_CLOSED',
  'LG_PROXY_LISTEN_FAILED',
  'LG_PROXY_UPSTREAM_FAILED',
  'LG_PROXY_UPSTREAM_TIMEOUT',
  'LG_CONTROL_LISTEN_FAILED',
  'LG_CONTROL_INTERNAL',
  'LG_AUDIT_UNAVAILABLE',
  'LG_AUDIT_KEY_INVALID',
  'LG_AUDIT_SYNC_NOT_CONFIGURED',
  'LG_DETECT_BAD_PATTERN',
  'LG_ARG_INVALID',
  'LG_IDENTITY_NOT_CONFIGURED',
  'LG_IDENTITY_NO_KEYCHAIN',
  'LG_IDENTITY_KEYCHAIN_FAILED',
  'LG_IDENTITY_IDP_UNREACHABLE',
  'LG_IDENTITY_IDP_ERROR',
  'LG_IDENTITY_DENIED',
  'LG_IDENTITY_EXPIRED',
  'LG_IDENTITY_TIMEOUT',
  'LG_IDENTITY_NO_LOGIN',
  'LG_IDENTITY_NOT_SIGNED_IN',
  'LG_IDENTITY_SESSION_ENDED',
  'LG_IDENTITY_PROOF_INVALID',
  'LG_IDENTITY_PROOF_REPLAYED',
  'LG_IDENTITY_PROOF_NONCE',
  'LG_IDENTITY_TOKEN_INVALID',
  'LG_IDENTITY_KEY_MISMATCH',
  'LG_POLICY_INVALID',
  'LG_POLICY_BAD_SIGNATURE',
  'LG_POLICY_UNKNOWN_KEY',
  'LG_POLICY_EXPIRED',
  'LG_POLICY_ROLLBACK',
  'LG_POLICY_FETCH_FAILED',
  'LG_POLICY_UNAVAILABLE',
  'LG_POLICY_DENIED',
  'LG_POLICY_TOO_LARGE',
  'LG_POLICY_LIMIT',
  'LG_IDENTITY_INSECURE_UPSTREAM',
  'LG_PROXY_BAD_REQUEST',
] as const;

export type LlmgateErrorCode = (typeof LLMGATE_ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(LLMGATE_ERROR_CODES);

/** Whether `value` is one of llmgate's codes (a control-API reply's, say). */
export function isLlmgateErrorCode(value: unknown): value is LlmgateErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

const BRAND = Symbol.for('llmgate.error');

export class LlmgateError extends Error {
  readonly code: LlmgateErrorCode;
  readonly [BRAND] = true;

  constructor(code: LlmgateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** `instanceof` that survives two copies of the package being loaded (undici's trick). */
  static is(value: unknown): value is LlmgateError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}

export class ConfigError extends LlmgateError {}
export class CaError extends LlmgateError {}
export class ControlError extends LlmgateError {}
export class DaemonError extends LlmgateError {}
export class PipelineError extends LlmgateError {
  /** HTTP status the proxy answers with when this error refuses a request. */
  readonly status: number;
  /** Rule id shown to the user, e.g. `unscannable-body`. */
  readonly rule: string;
  /** How the user can fix it, one sentence. */
  readonly fix: string;
  constructor(
    code: LlmgateErrorCode,
    message: string,
    details: { status: number; rule: string; fix: string },
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.status = details.status;
    this.rule = details.rule;
    this.fix = details.fix;
  }
}
export class ProxyError extends LlmgateError {}
export class AuditError extends LlmgateError {}
export class DetectError extends LlmgateError {}
export class IdentityError extends LlmgateError {}
/** A policy document that cannot be used (unsigned, tampered, expired, rolled back) or fetched. */
export class PolicyError extends LlmgateError {}

/** Misuse by a caller (a wrong option), not bad data: a coded TypeError, as openid-client does. */
export class CodedTypeError extends TypeError {
  readonly code = 'LG_ARG_INVALID' as const;
}
