/**
 * llmgate's public library surface: one explicit list (jose's style). The CLI and the tray app use the
 * control client; other tools may embed the detectors or read the audit log.
 */
export { LlmgateError, CodedTypeError, type LlmgateErrorCode } from './errors.js';
export {
  configSchema,
  configJsonSchema,
  parseConfig,
  loadConfig,
  resolveHome,
  statePaths,
} from './config/index.js';
export type { Config, ConfigInput, StatePaths } from './config/index.js';
export { createDetector, redact, scanText, builtinRules } from './detect/index.js';
export type { Action, Category, Detector, DetectorOptions, Finding, Rule } from './detect/index.js';
export { ControlClient } from './control/index.js';
export type {
  StatusReply,
  EnvReply,
  Counters,
  IdentityStatusReply,
  LoginStartReply,
  LoginWaitReply,
  LogoutReply,
} from './control/index.js';
export { openAuditReader, auditEventSchema, verifyAuditLog, eventHash } from './audit/index.js';
export type {
  AuditEvent,
  AuditReader,
  AuditQuery,
  VerifyReport,
  VerifyProblem,
  CheckpointSigner,
} from './audit/index.js';
export {
  verifyDpopRequest,
  introspectionResolver,
  ReplayCache,
  tokenInfoSchema,
  createProof,
} from './identity/index.js';
export type {
  TokenInfo,
  TokenResolver,
  VerifyDpopRequestOptions,
  VerifiedRequest,
  IntrospectionOptions,
  FetchLike,
  DeviceKey,
  DeviceKeyStore,
  SecretStore,
} from './identity/index.js';
export { startDaemon } from './daemon/index.js';
export type { Daemon, DaemonOptions } from './daemon/index.js';
export { VERSION } from './version.js';
