import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  evaluatePolicy,
  policyDocumentSchema,
  type PolicyDocumentInput,
  type PolicyInput,
} from '../../core/policy/index.js';

const POLICY: PolicyDocumentInput = {
  id: 'acme',
  version: 3,
  defaultGroup: 'everyone',
  rules: [
    {
      id: 'base-models',
      models: { allow: ['gpt-4o-mini', 'claude-3-5-haiku-*'] },
    },
    {
      id: 'eng-models',
      groups: ['engineering'],
      models: { allow: ['gpt-4o', 'claude-*'] },
    },
    {
      id: 'no-previews',
      models: { deny: ['*-preview'] },
      reason: 'Preview models are not approved.',
      fix: 'Use a released model.',
    },
    { id: 'no-shell', tools: { deny: ['run_shell', 'exec_*'] } },
    { id: 'support-tools', groups: ['support'], tools: { allow: ['lookup_ticket'] } },
    { id: 'providers', providers: { allow: ['openai', 'anthropic', 'gateway.internal'] } },
    { id: 'size', maxRequestBytes: 1000 },
    {
      id: 'sensitive-onprem',
      groups: ['sensitive'],
      route: { 'api.openai.com': 'https://llm.onprem.example:8443' },
    },
    { id: 'mini-budget', limits: { models: ['gpt-4o-mini'], requestsPerMinute: 10, tokensPerDay: 5000 } },
  ],
};

const compiled = compilePolicy(policyDocumentSchema.parse(POLICY));

function input(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    user: { id: 'alice', groups: [] },
    host: 'api.openai.com',
    provider: 'openai',
    model: 'gpt-4o-mini',
    tools: [],
    requestBytes: 100,
    ...overrides,
  };
}

describe('models per group', () => {
  it.each([
    ['everyone', 'gpt-4o-mini', 'allow', undefined],
    ['everyone', 'gpt-4o', 'block', 'base-models'],
    ['engineering', 'gpt-4o', 'allow', undefined],
    ['engineering', 'claude-sonnet-4', 'allow', undefined],
    ['sales', 'claude-sonnet-4', 'block', 'base-models'],
    ['engineering', 'gpt-4.5-preview', 'block', 'no-previews'],
    ['engineering', 'GPT-4O', 'allow', undefined],
  ])('group %s asking for %s: %s (%s)', (group, model, decision, rule) => {
    const d = evaluatePolicy(
      compiled,
      input({ user: { id: 'alice', groups: group === 'everyone' ? [] : [group] }, model }),
    );
    expect(d.decision).toBe(decision);
    expect(d.refusal?.rule).toBe(rule);
  });

  it('says which group was refused, and what to use instead', () => {
    const d = evaluatePolicy(compiled, input({ model: 'gpt-4o' }));
    expect(d.groups).toEqual(['everyone']);
    expect(d.refusal).toMatchObject({
      status: 403,
      code: 'LG_POLICY_DENIED',
      reason: 'Model gpt-4o is not among the models allowed for group everyone.',
      fix: 'Use one of: gpt-4o-mini, claude-3-5-haiku-*.',
    });
  });

  it("uses the rule's own reason and fix when it has them", () => {
    const d = evaluatePolicy(
      compiled,
      input({ user: { id: 'a', groups: ['engineering'] }, model: 'o1-preview' }),
    );
    expect(d.refusal).toMatchObject({
      rule: 'no-previews',
      reason: 'Preview models are not approved.',
      fix: 'Use a released model.',
    });
  });

  it('refuses a request whose model cannot be told when models are restricted (fails closed)', () => {
    const { model: _model, ...rest } = input();
    const d = evaluatePolicy(compiled, rest);
    expect(d.decision).toBe('block');
    expect(d.refusal?.rule).toBe('base-models');
  });
});

describe('tools per group', () => {
  it('refuses a denied tool for everyone, naming the rule', () => {
    const d = evaluatePolicy(compiled, input({ tools: ['get_weather', 'exec_python'] }));
    expect(d.refusal).toMatchObject({
      rule: 'no-shell',
      reason: 'Tool exec_python is not allowed for group everyone.',
    });
  });

  it('lets a group with a tool allow list use only those tools', () => {
    const support = { id: 'bob', groups: ['support'] };
    expect(evaluatePolicy(compiled, input({ user: support, tools: ['lookup_ticket'] })).decision).toBe(
      'allow',
    );
    const d = evaluatePolicy(compiled, input({ user: support, tools: ['lookup_ticket', 'send_email'] }));
    expect(d.refusal?.rule).toBe('support-tools');
    expect(d.refusal?.fix).toBe('Use only these tools: lookup_ticket.');
  });

  it('leaves tools alone for groups without a tool allow list', () => {
    expect(evaluatePolicy(compiled, input({ tools: ['send_email'] })).decision).toBe('allow');
  });
});

describe('MCP requests', () => {
  it('checks only tools for an MCP call: no model, provider or limit rule applies', () => {
    const mcp = {
      user: { id: 'alice' },
      host: 'mcp.internal.example',
      tools: ['lookup_ticket'],
      kind: 'mcp' as const,
    };
    const allowed = evaluatePolicy(compiled, mcp);
    expect(allowed.decision).toBe('allow');
    expect(allowed.limits).toEqual([]);
    expect(evaluatePolicy(compiled, { ...mcp, tools: ['run_shell'] }).refusal?.rule).toBe('no-shell');
  });
});

describe('providers, size, routes and limits', () => {
  it('refuses a provider outside the allow list, matching provider ids or hosts', () => {
    expect(
      evaluatePolicy(compiled, input({ host: 'api.mistral.ai', provider: 'mistral' })).refusal?.rule,
    ).toBe('providers');
    expect(evaluatePolicy(compiled, input({ host: 'gateway.internal', provider: 'openai' })).decision).toBe(
      'allow',
    );
  });

  it('refuses a request larger than policy allows with 413', () => {
    const d = evaluatePolicy(compiled, input({ requestBytes: 1001 }));
    expect(d.refusal).toMatchObject({ rule: 'size', status: 413, code: 'LG_POLICY_TOO_LARGE' });
  });

  it('routes the sensitive group to its on-prem endpoint and no one else', () => {
    const d = evaluatePolicy(compiled, input({ user: { id: 'c', groups: ['sensitive'] } }));
    expect(d.route).toEqual({
      rule: 'sensitive-onprem',
      host: 'api.openai.com',
      upstream: 'https://llm.onprem.example:8443',
    });
    expect(evaluatePolicy(compiled, input()).route).toBeUndefined();
  });

  it('counts limits per user and model, only for the models the limit names', () => {
    const d = evaluatePolicy(compiled, input());
    expect(d.limits).toEqual([
      {
        rule: 'mini-budget',
        key: 'mini-budget\u0000alice\u0000gpt-4o-mini',
        user: 'alice',
        model: 'gpt-4o-mini',
        requestsPerMinute: 10,
        tokensPerDay: 5000,
      },
    ]);
    expect(
      evaluatePolicy(compiled, input({ user: { id: 'a', groups: ['engineering'] }, model: 'gpt-4o' })).limits,
    ).toEqual([]);
  });

  it('lists every rule that matched, for explain', () => {
    const d = evaluatePolicy(
      compiled,
      input({ user: { id: 'a', groups: ['engineering'] }, model: 'gpt-4o' }),
    );
    expect(d.matched.map((m) => `${m.rule}:${m.effect}`)).toEqual(['eng-models:allow', 'providers:allow']);
    expect(d.matched[0]!.detail).toBe('model gpt-4o matches allow "gpt-4o"');
  });

  it('gives the same decision for the same input (deterministic)', () => {
    const a = evaluatePolicy(compiled, input({ model: 'gpt-4o', tools: ['exec_x'] }));
    const b = evaluatePolicy(compiled, input({ model: 'gpt-4o', tools: ['exec_x'] }));
    expect(a).toEqual(b);
  });
});

describe('policy documents', () => {
  it('rejects duplicate rule ids and rules without an effect', () => {
    const bad = policyDocumentSchema.safeParse({
      id: 'x',
      version: 1,
      rules: [
        { id: 'a', models: { deny: ['x'] } },
        { id: 'a', tools: { deny: ['y'] } },
        { id: 'b', groups: ['g'] },
      ],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('duplicate rule id "a"');
    expect(messages).toContain('a rule needs an effect');
  });

  it('rejects unknown keys', () => {
    expect(policyDocumentSchema.safeParse({ id: 'x', version: 1, rulez: [] }).success).toBe(false);
  });
});
