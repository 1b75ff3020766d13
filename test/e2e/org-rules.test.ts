/**
 * Organisation rules from config.json through the real proxy: dictionary terms are redacted in prompts,
 * and a finding whose action is `block` refuses the request with the rule id, forwarding nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { OPENAI_TEST_KEY, proxyAgent, resetRecorded, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { PRIVATE_KEY } from '../support/secrets.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const chat = (content: string): string =>
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] });

let h: Harness;
let agent: ProxyAgent;

beforeAll(async () => {
  h = await startHarness(
    {
      detect: {
        dictionaries: [
          { id: 'customers', description: 'Customer names', file: 'customers.txt' },
          { id: 'code-names', terms: ['Project Falcon'] },
        ],
        actions: { rules: { 'private-key': 'block' } },
      },
    },
    { files: { 'customers.txt': '# customers\nGlobex Industries\nInitech\n' } },
  );
  agent = proxyAgent(h);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

describe('organisation rules from config', () => {
  it('redacts dictionary terms (inline and from a file) before the provider sees them', async () => {
    resetRecorded(h);
    const res = await send(agent, CHAT, {
      headers: HEADERS,
      body: chat('Brief Globex Industries on project falcon.'),
    });
    expect(res.status).toBe(200);
    const sent = h.provider.requests[0]!.body.toString('utf8');
    expect(sent).not.toMatch(/globex|falcon/i);
    expect(sent).toContain('Brief [REDACTED:customers] on [REDACTED:code-names].');
  });

  it('refuses a request whose finding is set to block, naming the rule, and forwards nothing', async () => {
    resetRecorded(h);
    const res = await send(agent, CHAT, { headers: HEADERS, body: chat(`deploy with\n${PRIVATE_KEY}`) });
    expect(res.status).toBe(403);
    const body = JSON.parse(res.body.toString('utf8')) as {
      error: { code: string };
      llmgate: { rule: string };
    };
    expect(body.llmgate.rule).toBe('private-key');
    expect(h.provider.requests).toHaveLength(0);
  });
});
