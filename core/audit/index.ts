export { auditEventSchema, type AuditEvent, type AuditEventInput } from './event.js';
export { canonicalJson, eventHash } from './chain.js';
export { openAuditReader, type AuditReader, type AuditQuery, type AuditRow } from './store.js';
export { openAuditWriter, type AuditHealth, type AuditWriter, type AuditWriterOptions } from './writer.js';
export type { WriterStats, PendingBatch } from './protocol.js';
export { startAuditLog, type AuditLog, type AuditLogOptions, type AuditLogStatus } from './service.js';
export {
  loadOrCreateFileSigner,
  readFileSignerThumbprint,
  signerFromJwk,
  type CheckpointSigner,
} from './signer.js';
export {
  AuditSync,
  retryAfterMs,
  type AuditSyncOptions,
  type SyncState,
  type SyncRunResult,
} from './sync.js';
export { otlpLogsRequest, otlpLogsResponseSchema, type OtlpResource } from './otlp.js';
export {
  verifyAuditLog,
  checkpointPayloadSchema,
  type VerifyReport,
  type VerifyProblem,
  type VerifyOptions,
  type TamperKind,
  type CheckpointPayload,
} from './verify.js';
