/** The I/O around the pure policy module: fetching, verifying and caching the org policy; usage counters. */
export {
  PolicyStore,
  type PolicyProblem,
  type PolicySnapshot,
  type PolicySource,
  type PolicyStoreOptions,
  type RefreshResult,
} from './store.js';
export { openLimitStore, type LimitStore, type LimitCheck, type LimitUsage } from './limits.js';
export { effectiveDetector, type EffectiveDetector } from './detector.js';
export {
  explainRequest,
  explainRequestSchema,
  parseExplainRequest,
  type ExplainRequest,
  type Explanation,
} from './explain.js';
