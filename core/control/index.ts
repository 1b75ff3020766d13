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
} from './protocol.js';
export { protectionOf, ATTENTION_MS, type Protection, type ProtectionState } from './summary.js';
