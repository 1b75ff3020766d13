import type { PolicyDocument } from './schema.js';

/**
 * The policy in force when neither an org policy nor a local policy file is configured: no rules (every
 * provider, model and tool allowed), detection as config says. Version 0, below any real policy.
 */
export const EMBEDDED_POLICY: PolicyDocument = Object.freeze({
  id: 'embedded-default',
  version: 0,
  failureMode: 'closed',
  defaultGroup: 'default',
  rules: [],
});
