/** Audit events of the contract's shape for tests that write the log directly (no daemon). */
import type { AuditEventInput } from '../../core/audit/index.js';

/**
 * The `n`th event: id `req-00n`, one second after the previous, every third one a redaction; `overrides`
 * replace members.
 */
export function auditEventInput(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    id: `req-${String(n).padStart(3, '0')}`,
    time: new Date(Date.UTC(2026, 10, 21, 12, 0, n)).toISOString(),
    user: 'local:dev',
    device: 'laptop-1',
    host: 'api.openai.com',
    provider: 'openai',
    method: 'POST',
    path: '/v1/chat/completions',
    model: 'gpt-4o',
    stream: false,
    decision: n % 3 === 0 ? 'redact' : 'allow',
    rules: n % 3 === 0 ? ['aws-access-key'] : [],
    redactions: n % 3 === 0 ? { 'aws-access-key': 1 } : {},
    status: 200,
    error: null,
    latencyMs: 1.5,
    bytes: { request: 120, response: 300 },
    usage: { inputTokens: 10, outputTokens: 3 },
    ...overrides,
  };
}
