import { describe, expect, it } from 'vitest';
import { createDetector } from '../../core/detect/index.js';
import { explainRequest, parseExplainRequest } from '../../core/policy-store/index.js';
import { compilePolicy, policyDocumentSchema } from '../../core/policy/index.js';

const policy = compilePolicy(
  policyDocumentSchema.parse({
    id: 'acme',
    version: 9,
    rules: [
      { id: 'base-models', models: { allow: ['gpt-4o-mini'] } },
      { id: 'mcp-tools', hosts: ['mcp.internal.example'], tools: { deny: ['delete_*'] } },
      { id: 'onprem', route: { 'api.openai.com': 'https://llm.onprem.example:8443' } },
    ],
  }),
);
const detector = createDetector();

describe('policy explain', () => {
  it('explains an MCP tools/call by its tool rules alone', () => {
    const request = parseExplainRequest(
      {
        url: 'https://mcp.internal.example/mcp',
        body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'delete_repo' } },
      },
      'req.json',
    );
    const e = explainRequest(request, policy, 'org', detector, new Set(['mcp.internal.example']));
    expect(e.decision).toBe('block');
    expect(e.refusal?.rule).toBe('mcp-tools');
    expect(e.request.tools).toEqual(['delete_repo']);
    expect(e.rules).toEqual([
      { rule: 'mcp-tools', kind: 'tool', effect: 'deny', detail: 'tool delete_repo matches deny "delete_*"' },
    ]);
  });

  it('names the route and the provider facts of an allowed chat request', () => {
    const request = parseExplainRequest(
      { url: 'https://api.openai.com/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [] } },
      'req.json',
    );
    const e = explainRequest(request, policy, 'org', detector);
    expect(e).toMatchObject({
      decision: 'allow',
      policy: { id: 'acme', version: 9, source: 'org' },
      request: {
        host: 'api.openai.com',
        provider: 'openai',
        api: 'openai-chat',
        model: 'gpt-4o-mini',
        tools: [],
      },
      groups: ['default'],
      route: { rule: 'onprem', host: 'api.openai.com', upstream: 'https://llm.onprem.example:8443' },
      refusal: null,
    });
  });

  it('refuses a request file that is not a request, naming the problem', () => {
    expect(() => parseExplainRequest({ url: 'ftp://x' }, 'req.json')).toThrow(
      /req.json is not a request to explain/,
    );
  });
});
