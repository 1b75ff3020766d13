export { auditEventSchema, type AuditEvent, type AuditEventInput } from './event.js';
export { openAuditReader, type AuditReader, type AuditQuery } from './store.js';
export { openAuditWriter, type AuditWriter } from './writer.js';
