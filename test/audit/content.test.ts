/**
 * Content capture (issue 7, scope 5): off by default, so events carry no request text; when turned on,
 * an event holds the request text exactly as forwarded, redacted, and a refused request's text is never
 * stored. Runs the real daemon with the detectors' own rule actions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAgent } from 'undici';
import { OPENAI_TEST_KEY, auditEventFor, proxyAgent, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { AWS_KEY, EMAIL, GITHUB_PAT } from '../support/secrets.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const body = (text: string): string =>
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: text }] });

let capturing: Harness;
let plain: Harness;
let agents: ProxyAgent[] = [];

beforeAll(async () => {
  [capturing, plain] = await Promise.all([
    startHarness({
      audit: { content: { capture: true } },
      detect: { actions: { rules: { 'github-pat': 'block' } } },
    }),
    startHarness(),
  ]);
  agents = [proxyAgent(capturing), proxyAgent(plain)];
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await Promise.all([capturing?.close(), plain?.close()]);
});

describe('audit content capture', () => {
  it('stores no request text by default', async () => {
    const res = await send(agents[1]!, CHAT, { headers: HEADERS, body: body(`deploy with ${AWS_KEY}`) });
    const event = await auditEventFor(plain, res.headers.get('x-llmgate-request-id')!);
    expect(event).not.toHaveProperty('content');
  });

  it('stores the request text as forwarded, secrets and PII redacted, when turned on', async () => {
    const res = await send(agents[0]!, CHAT, {
      headers: HEADERS,
      body: body(`deploy with ${AWS_KEY} and tell ${EMAIL}`),
    });
    expect(res.status).toBe(200);
    const event = await auditEventFor(capturing, res.headers.get('x-llmgate-request-id')!);
    expect(event.decision).toBe('redact');
    expect(event.content).toContain('deploy with [REDACTED');
    expect(event.content).not.toContain(AWS_KEY);
    expect(event.content).not.toContain(EMAIL);
    expect(event.content).toBe(capturing.provider.requests.at(-1)!.body.toString('utf8'));
  });

  it('never stores the text of a refused request', async () => {
    const res = await send(agents[0]!, CHAT, { headers: HEADERS, body: body(`token ${GITHUB_PAT}`) });
    expect(res.status).toBe(403);
    const event = await auditEventFor(capturing, res.headers.get('x-llmgate-request-id')!);
    expect(event).toMatchObject({ decision: 'block', rules: ['github-pat'] });
    expect(event).not.toHaveProperty('content');
  });
});
