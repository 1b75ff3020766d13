export { auditEventSchema, type AuditEvent, type AuditEventInput } from './event.js';
export {
  openAuditWriter,
  openAuditReader,
  type AuditWriter,
  type AuditReader,
  type AuditQuery,
} from './store.js';
