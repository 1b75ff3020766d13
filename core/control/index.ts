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
  eventsReplySchema,
  type StatusReply,
  type EventsReply,
  type EnvReply,
  type StopReply,
  type Counters,
  identityStatusSchema,
  loginStartRequestSchema,
  loginStartReplySchema,
  loginWaitRequestSchema,
  loginWaitReplySchema,
  logoutReplySchema,
  type IdentityStatusReply,
  type LoginStartRequest,
  type LoginStartReply,
  type LoginWaitRequest,
  type LoginWaitReply,
  type LogoutReply,
} from './protocol.js';
export { protectionOf, ATTENTION_MS, type Protection, type ProtectionState } from './summary.js';
