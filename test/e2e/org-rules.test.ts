/**
 * Organisation rules from config.json through the real proxy: dictionary terms and organisation patterns
 * are redacted in prompts, allowlisted values pass, a rule that is off by default runs once turned on, and
 * a finding whose action is `block` refuses the request with the rule id, forwarding nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { OPENAI_TEST_KEY, proxyAgent, resetRecorded, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { AWS_KEY, PRIVATE_KEY } from '../support/secrets.js';

/** The organisation's published demo key: allowlisted, so it reaches the provider as written. */
const DEMO_KEY = 'AKIA' + 'W5N2Q8R4T6Y3U7P9';

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
        patterns: [
          {
            id: 'ticket',
            description: 'Support ticket',
            pattern: 'SUP-[0-9]{5}',
            keywords: ['sup-'],
            examples: { match: ['SUP-10452'], noMatch: ['SUP-12'] },
          },
        ],
        allowlist: [{ description: 'published demo key', rules: ['aws-access-key-id'], values: [DEMO_KEY] }],
        actions: { rules: { 'private-key': 'block', 'ip-address-private': 'redact' } },
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

  it('redacts organisation patterns and private addresses, and lets allowlisted values through', async () => {
    resetRecorded(h);
    const res = await send(agent, CHAT, {
      headers: HEADERS,
      body: chat(`Ticket SUP-48213: db 10.20.30.40 rejects ${AWS_KEY}; the demo uses ${DEMO_KEY}.`),
    });
    expect(res.status).toBe(200);
    const sent = h.provider.requests[0]!.body.toString('utf8');
    expect(sent).toContain(
      `Ticket [REDACTED:ticket]: db [REDACTED:ip-address-private] rejects [REDACTED:aws-access-key-id]; the demo uses ${DEMO_KEY}.`,
    );
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
