/**
 * Org policy, pure: the document schema, signature and freshness checks, the local-may-only-tighten
 * merge, and evaluation of one request. No fs, sockets, env or timers: callers pass keys, clock and
 * state in, so `llmgate policy explain` needs no daemon and tests are tables.
 */
export {
  policyDocumentSchema,
  policyRuleSchema,
  policyJsonSchema,
  type PolicyDocument,
  type PolicyDocumentInput,
  type PolicyRule,
} from './schema.js';
export {
  compilePolicy,
  evaluatePolicy,
  type CompiledPolicy,
  type LimitObligation,
  type MatchKind,
  type PolicyDecision,
  type PolicyInput,
  type PolicyRefusal,
  type PolicyUser,
  type RouteObligation,
  type RuleMatch,
} from './evaluate.js';
export {
  verifyPolicyJws,
  parsePolicyDocument,
  checkFreshness,
  jwksSchema,
  POLICY_ALGORITHMS,
  type PolicyVersionSeen,
  type VerifiedPolicy,
  type VerifyPolicyOptions,
} from './verify.js';
export { mergeDetect, type MergedDetect, type RefusedSetting } from './merge.js';
export { requestToolNames, isMcpMessage } from './request.js';
export { Glob, GlobList, compileGlob } from './glob.js';
export { EMBEDDED_POLICY } from './embedded.js';
