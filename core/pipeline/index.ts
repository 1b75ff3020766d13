export type {
  CaptureMode,
  Decision,
  Dispatch,
  Exchange,
  ResponseHandler,
  Stage,
  StreamController,
  Target,
} from './types.js';
export {
  PassThroughHandler,
  compose,
  newExchange,
  HOP_BY_HOP_HEADERS,
  type ExchangeRequest,
} from './types.js';
export { scanStage, type ScanStageOptions } from './scan-stage.js';
export { tapStage } from './tap-stage.js';
export { restoreStage, type RestoreStageOptions } from './restore-stage.js';
export {
  auditStage,
  auditEventOf,
  auditUnavailable,
  type ExchangeObserver,
  type Identity,
} from './audit-stage.js';
export { createUpstream, type Upstream, type UpstreamOptions } from './upstream.js';
export { refuse, refusalMessage, type RefusalReason, type RefusalMessage } from './refuse.js';
export { scanJsonBody, scanTextBody, isBase64Media, type ScanOutcome } from './scan-body.js';
export { walkJson, JsonSyntaxError } from './json-walk.js';
export {
  signInGate,
  orgIdentityStage,
  SIGN_IN_REQUIRED,
  BACKEND_NEEDS_HTTPS,
  type IdentitySource,
  type OrgIdentityStageOptions,
} from './identity-stage.js';
export { policyStage, type PolicyStageOptions, type PolicyView } from './policy-stage.js';
export { mcpResultStage, type McpResultStageOptions } from './mcp-result-stage.js';
