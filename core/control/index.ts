export { ControlClient } from './client.js';
export {
  RouteTable,
  startControlServer,
  CONTROL_HOST,
  type ControlServer,
  type Permission,
  type Route,
} from './server.js';
export {
  statusReplySchema,
  envReplySchema,
  stopReplySchema,
  auditStatusSchema,
  auditSyncReplySchema,
  type AuditSyncReply,
  type StatusReply,
  type EnvReply,
  type StopReply,
  type Counters,
} from './protocol.js';
