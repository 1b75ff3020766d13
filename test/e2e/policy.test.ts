/**
 * The org policy through the real proxy: a signed policy served over HTTP, pinned keys in config, two
 * daemons whose users are in different groups. A group without access to a model is refused with the
 * rule id; the same request from an allowed group passes; a routed host reaches its route; a denied tool
 * is refused; token budgets counted from usage the responses report end in 429 with Retry-After, and
 * survive a restart; local settings that would loosen the policy are refused; MCP `tools/call` to a
 * server the policy lists is allowed or refused per group, with a JSON-RPC error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { ControlClient } from '../../core/control/index.js';
import { startDaemon } from '../../core/daemon/index.js';
import type { PolicyDocumentInput } from '../../core/policy/index.js';
import { ANTHROPIC_TEST_KEY, OPENAI_TEST_KEY, auditEventFor, proxyAgent, send } from '../support/clients.js';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.js';
import { startFakeMcp, type FakeMcp } from '../support/fake-mcp.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  createSigningKey,
  signPolicy,
  startPolicyServer,
  type PolicyServer,
  type SigningKey,
} from '../support/policy-server.js';
import { AWS_KEY, PRIVATE_KEY } from '../support/secrets.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const MCP_HOST = 'mcp.internal.example';
const MCP_URL = `https://${MCP_HOST}/mcp`;
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const toolCall = (name: string): string =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/call',
    params: { name, arguments: { query: 'flaky test' } },
  });
const MESSAGES = 'https://api.anthropic.com/v1/messages';
const OPENAI_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const ANTHROPIC_HEADERS = {
  'content-type': 'application/json',
  'x-api-key': ANTHROPIC_TEST_KEY,
  'anthropic-version': '2023-06-01',
};
const chat = (model: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], ...extra });

interface Refusal {
  error: { message: string; code: string };
  llmgate: { rule: string; code: string; reason: string; fix: string; requestId: string };
}
const refusalOf = (body: Buffer): Refusal => JSON.parse(body.toString('utf8')) as Refusal;

function policy(version: number, onprem?: string, mcpServer?: string): PolicyDocumentInput {
  return {
    id: 'acme',
    version,
    expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    rules: [
      { id: 'base-models', models: { allow: ['gpt-4o-mini'] } },
      { id: 'eng-models', groups: ['engineering'], models: { allow: ['gpt-4o', 'claude-*'] } },
      { id: 'no-shell', tools: { deny: ['run_shell'] }, fix: 'Run shell commands yourself.' },
      { id: 'mini-budget', limits: { models: ['gpt-4o-mini'], tokensPerDay: 25 } },
      { id: 'mcp-sales', groups: ['sales'], hosts: [MCP_HOST], tools: { deny: ['delete_*'] } },
      { id: 'mcp-eng', groups: ['engineering'], hosts: [MCP_HOST], tools: { allow: ['search_*'] } },
      ...(onprem === undefined
        ? []
        : [
            {
              id: 'eng-onprem',
              groups: ['engineering'],
              route: { 'api.anthropic.com': onprem, [MCP_HOST]: mcpServer ?? onprem },
            },
          ]),
    ],
    mcp: { hosts: [MCP_HOST] },
    ...(onprem === undefined
      ? {}
      : {
          detect: { actions: { rules: { 'private-key': 'block' as const } } },
          audit: { content: 'redacted' as const },
        }),
  };
}

let key: SigningKey;
let server: PolicyServer;
let sales: Harness;
let eng: Harness;
let salesAgent: ProxyAgent;
let engAgent: ProxyAgent;
let onprem: FakeProvider;
let mcpServer: FakeMcp;

async function harnessFor(group: string, extra: Record<string, unknown> = {}): Promise<Harness> {
  return startHarness(
    { policy: { url: server.url, keys: 'org.jwks.json', defaultGroup: group }, ...extra },
    { files: { 'org.jwks.json': JSON.stringify({ keys: [key.publicJwk] }) } },
  );
}

beforeAll(async () => {
  key = await createSigningKey('acme-2026');
  server = await startPolicyServer();
  server.body = await signPolicy(policy(1), key);
  sales = await harnessFor('sales', { detect: { actions: { categories: { secret: 'allow' } } } });
  eng = await harnessFor('engineering');
  salesAgent = proxyAgent(sales);
  engAgent = proxyAgent(eng);
  // The on-prem endpoint exists only once the engineering daemon's test PKI does; version 2 routes to it.
  onprem = await startFakeProvider(eng.pki);
  mcpServer = await startFakeMcp(eng.pki);
  server.body = await signPolicy(policy(2, onprem.origin, mcpServer.origin), key);
  const pulled = await new ControlClient(eng.daemon.paths.controlSocket).policyPull();
  expect(pulled).toMatchObject({ changed: true, error: null, policy: { version: 2, signature: 'verified' } });
});

afterAll(async () => {
  await salesAgent?.close();
  await engAgent?.close();
  await sales?.close();
  await eng?.close();
  await onprem?.close();
  await mcpServer?.close();
  await server?.close();
});

describe('audit content capture', () => {
  it('stores the redacted prompt in audit events when the org policy turns capture on (config leaves it off)', async () => {
    const prompt = (model: string): string =>
      JSON.stringify({ model, messages: [{ role: 'user', content: `deploy with ${AWS_KEY}` }] });
    const engRes = await send(engAgent, CHAT, { headers: OPENAI_HEADERS, body: prompt('gpt-4o') });
    expect(engRes.status).toBe(200);
    const engEvent = await auditEventFor(eng, engRes.headers.get('x-llmgate-request-id')!);
    expect(engEvent.content).toContain('deploy with [REDACTED:aws-access-key-id]');
    expect(engEvent.content).not.toContain(AWS_KEY);
  });
});

describe('MCP over HTTP', () => {
  it('lets an allowed tools/call through to the MCP server, with its arguments and result scanned', async () => {
    mcpServer.requests.length = 0;
    mcpServer.results.set('search_issues', `found ${AWS_KEY} in the logs`);
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 8,
      method: 'tools/call',
      params: { name: 'search_issues', arguments: { query: `leaked ${AWS_KEY}` } },
    });
    const res = await send(engAgent, MCP_URL, { headers: MCP_HEADERS, body });
    expect(res.status).toBe(200);
    expect(mcpServer.requests).toHaveLength(1);
    const sent = mcpServer.requests[0]!.body;
    expect(sent).toContain('"name":"search_issues"');
    expect(sent).not.toContain(AWS_KEY);
    const answer = JSON.parse(res.body.toString('utf8')) as {
      id: number;
      result: { content: { text: string }[] };
    };
    expect(answer.id).toBe(8);
    expect(answer.result.content[0]!.text).toBe('found [REDACTED:aws-access-key-id] in the logs');
  });

  it('rewrites a streamed (SSE) result event by event, even when a secret crosses a chunk boundary', async () => {
    mcpServer.results.set('search_stream', `token ${AWS_KEY} here`);
    const res = await send(engAgent, MCP_URL, { headers: MCP_HEADERS, body: toolCall('search_stream') });
    expect(res.status).toBe(200);
    const text = res.body.toString('utf8');
    expect(text).not.toContain(AWS_KEY);
    expect(text).toContain('data: {"jsonrpc":"2.0","method":"notifications/progress"');
    expect(text).toContain('event: message\nid: 2\ndata: ');
    expect(text).toContain('token [REDACTED:aws-access-key-id] here');
  });

  it('replaces a result whose finding must block with a JSON-RPC error naming the rule', async () => {
    mcpServer.results.set('search_keys', `here: ${PRIVATE_KEY}`);
    const res = await send(engAgent, MCP_URL, { headers: MCP_HEADERS, body: toolCall('search_keys') });
    const text = res.body.toString('utf8');
    expect(text).not.toContain('PRIVATE KEY');
    const answer = JSON.parse(text) as {
      id: number;
      error: { message: string; data: { llmgate: { rule: string; requestId: string } } };
    };
    expect(answer.id).toBe(7);
    expect(answer.error.data.llmgate.rule).toBe('private-key');
    const event = await auditEventFor(eng, answer.error.data.llmgate.requestId);
    expect(event).toMatchObject({ decision: 'block', host: MCP_HOST, mcp: true, tools: ['search_keys'] });
    expect(event.rules).toContain('private-key');
  });

  it("refuses a tools/call outside the group's tools with a JSON-RPC error naming the rule", async () => {
    mcpServer.requests.length = 0;
    const res = await send(engAgent, MCP_URL, { headers: MCP_HEADERS, body: toolCall('delete_repo') });
    expect(res.status).toBe(403);
    const body = JSON.parse(res.body.toString('utf8')) as {
      jsonrpc: string;
      id: number;
      error: { code: number; message: string };
      llmgate: { rule: string; code: string; reason: string };
    };
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32001 } });
    expect(body.error.message).toContain('llmgate blocked this request (rule mcp-eng)');
    expect(body.llmgate).toMatchObject({
      rule: 'mcp-eng',
      code: 'LG_POLICY_DENIED',
      reason: 'Tool delete_repo is not among the tools allowed for group engineering.',
    });
    expect(mcpServer.requests).toHaveLength(0);
  });

  it('refuses per group: a tool denied to sales, with no model rule getting in the way', async () => {
    const res = await send(salesAgent, MCP_URL, { headers: MCP_HEADERS, body: toolCall('delete_branch') });
    expect(res.status).toBe(403);
    const body = JSON.parse(res.body.toString('utf8')) as { llmgate: { rule: string; requestId: string } };
    expect(body.llmgate.rule).toBe('mcp-sales');
    const event = await auditEventFor(sales, body.llmgate.requestId);
    expect(event).toMatchObject({
      decision: 'block',
      host: MCP_HOST,
      error: 'LG_POLICY_DENIED',
      mcp: true,
      tools: ['delete_branch'],
    });
    expect(event.rules).toEqual(['mcp-sales']);
  });
});

describe('org policy in the proxy', () => {
  it('refuses a model to a group without access, naming the rule, and forwards nothing', async () => {
    sales.provider.requests.length = 0;
    const res = await send(salesAgent, CHAT, { headers: OPENAI_HEADERS, body: chat('gpt-4o') });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-llmgate-rule')).toBe('base-models');
    const body = refusalOf(res.body);
    expect(body.error.code).toBe('base-models');
    expect(body.llmgate).toMatchObject({
      rule: 'base-models',
      code: 'LG_POLICY_DENIED',
      reason: 'Model gpt-4o is not among the models allowed for group sales.',
      fix: 'Use one of: gpt-4o-mini.',
    });
    expect(sales.provider.requests).toHaveLength(0);
    const event = await auditEventFor(sales, body.llmgate.requestId);
    expect(event).toMatchObject({ decision: 'block', error: 'LG_POLICY_DENIED', status: 403 });
    expect(event.rules).toContain('base-models');
  });

  it('lets the same request through for a group with access', async () => {
    eng.provider.requests.length = 0;
    const res = await send(engAgent, CHAT, { headers: OPENAI_HEADERS, body: chat('gpt-4o') });
    expect(res.status).toBe(200);
    expect(eng.provider.requests).toHaveLength(1);
  });

  it('sends a routed host to its route for the routed group', async () => {
    eng.provider.requests.length = 0;
    onprem.requests.length = 0;
    const res = await send(engAgent, MESSAGES, {
      headers: ANTHROPIC_HEADERS,
      body: JSON.stringify({
        model: 'claude-sonnet-4',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(onprem.requests).toHaveLength(1);
    expect(onprem.requests[0]!.url).toBe('/v1/messages');
    expect(eng.provider.requests).toHaveLength(0);
  });

  it('refuses a denied tool with the rule and its fix', async () => {
    eng.provider.requests.length = 0;
    const tools = [{ type: 'function', function: { name: 'run_shell', parameters: { type: 'object' } } }];
    const res = await send(engAgent, CHAT, { headers: OPENAI_HEADERS, body: chat('gpt-4o', { tools }) });
    expect(res.status).toBe(403);
    expect(refusalOf(res.body).llmgate).toMatchObject({
      rule: 'no-shell',
      reason: 'Tool run_shell is not allowed for group engineering.',
      fix: 'Run shell commands yourself.',
    });
    expect(eng.provider.requests).toHaveLength(0);
  });

  it('refuses local settings that loosen the org policy: secrets are still redacted', async () => {
    const shown = await new ControlClient(sales.daemon.paths.controlSocket).policy();
    expect(shown.refusedLocalSettings.map((r) => r.key)).toEqual(['detect.actions.categories.secret']);
    sales.provider.requests.length = 0;
    const res = await send(salesAgent, CHAT, {
      headers: OPENAI_HEADERS,
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `key ${AWS_KEY}` }] }),
    });
    expect(res.status).toBe(200);
    const sent = sales.provider.requests[0]!.body.toString('utf8');
    expect(sent).not.toContain(AWS_KEY);
  });

  it('asks an OpenAI stream for its usage when a token budget applies, keeping the rest of the body', async () => {
    eng.provider.requests.length = 0;
    // Engineering has no budget on gpt-4o: its stream is sent as written.
    const res = await send(engAgent, CHAT, {
      headers: OPENAI_HEADERS,
      body: chat('gpt-4o', { stream: true }),
    });
    expect(res.status).toBe(200);
    expect(eng.provider.requests[0]!.body.toString('utf8')).toBe(chat('gpt-4o', { stream: true }));
  });

  it('ends a token budget in 429 with Retry-After, shows what is left, and keeps it over a restart', async () => {
    // The previous test spent 14 tokens (the fake reports 11 + 3); wait until they are counted.
    const control = new ControlClient(sales.daemon.paths.controlSocket);
    const used = async (): Promise<number> =>
      (await control.status()).policy.limits.find((l) => l.kind === 'tokens-per-day')?.used ?? 0;
    for (let i = 0; i < 50 && (await used()) < 14; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await used()).toBe(14);
    // A stream: llmgate asks for its usage (11 + 5 tokens from the fake), so streaming counts too.
    sales.provider.requests.length = 0;
    const ok = await send(salesAgent, CHAT, {
      headers: OPENAI_HEADERS,
      body: chat('gpt-4o-mini', { stream: true }),
    });
    expect(ok.status).toBe(200);
    expect(sales.provider.requests[0]!.body.toString('utf8')).toBe(
      `{"stream_options":{"include_usage":true},${chat('gpt-4o-mini', { stream: true }).slice(1)}`,
    );
    for (let i = 0; i < 50 && (await used()) < 30; i++) await new Promise((r) => setTimeout(r, 20));
    const status = await control.status();
    expect(status.policy).toMatchObject({
      id: 'acme',
      version: 1,
      source: 'org',
      state: 'ok',
      signature: 'verified',
      groups: ['sales'],
    });
    expect(status.policy.limits).toEqual([
      expect.objectContaining({
        rule: 'mini-budget',
        model: 'gpt-4o-mini',
        kind: 'tokens-per-day',
        limit: 25,
        used: 30,
        remaining: 0,
      }),
    ]);

    const refused = await send(salesAgent, CHAT, { headers: OPENAI_HEADERS, body: chat('gpt-4o-mini') });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refusalOf(refused.body).llmgate).toMatchObject({ rule: 'mini-budget', code: 'LG_POLICY_LIMIT' });

    await sales.daemon.stop();
    const restarted = await startDaemon({ home: sales.home });
    try {
      const again = await send(proxyAgent({ ...sales, env: restarted.env() }), CHAT, {
        headers: OPENAI_HEADERS,
        body: chat('gpt-4o-mini'),
      });
      expect(again.status).toBe(429);
    } finally {
      await restarted.stop();
    }
  });
});

describe('org policy unavailable', () => {
  it('fails closed: provider traffic is refused when no valid policy was ever fetched', async () => {
    const dead = await startHarness(
      { policy: { url: 'http://127.0.0.1:9/policy.jws', keys: 'org.jwks.json' } },
      { files: { 'org.jwks.json': JSON.stringify({ keys: [key.publicJwk] }) } },
    );
    const agent = proxyAgent(dead);
    try {
      const res = await send(agent, CHAT, { headers: OPENAI_HEADERS, body: chat('gpt-4o-mini') });
      expect(res.status).toBe(503);
      expect(refusalOf(res.body).llmgate).toMatchObject({
        rule: 'policy-unavailable',
        code: 'LG_POLICY_UNAVAILABLE',
      });
      expect(dead.provider.requests).toHaveLength(0);
      expect(dead.daemon.status().policy).toMatchObject({ state: 'unavailable', failureMode: 'closed' });
    } finally {
      await agent.close();
      await dead.close();
    }
  });
});
