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
  policyShowReplySchema,
  policyPullReplySchema,
  limitUsageSchema,
  type PolicyShowReply,
  type PolicyPullReply,
  type StatusReply,
  type EnvReply,
  type StopReply,
  type Counters,
} from './protocol.js';
