/**
 * `llmgate status --watch`, the live ink view, drawn from a real daemon's control API: the recent requests
 * with the rules that acted on them, the attention state after a refusal, and the daemon going away.
 */
import { render } from 'ink-testing-library';
import type { ProxyAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient, type StatusReply } from '../../core/control/index.js';
import { StatusWatch, type WatchSnapshot } from '../../cli/commands/status-watch.js';
import { OPENAI_TEST_KEY, proxyAgent, send } from '../support/clients.js';
import { startHarness, type Harness } from '../support/harness.js';
import { AWS_KEY, PRIVATE_KEY } from '../support/secrets.js';

const CHAT = 'https://api.openai.com/v1/chat/completions';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_TEST_KEY}` };
const chat = (content: string): string =>
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] });

let h: Harness;
let agent: ProxyAgent;
let control: ControlClient;

beforeAll(async () => {
  h = await startHarness({ detect: { actions: { rules: { 'private-key': 'block' } } } });
  agent = proxyAgent(h);
  control = new ControlClient(h.daemon.paths.controlSocket);
});

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

async function live(): Promise<WatchSnapshot> {
  const [status, recent] = await Promise.all([control.status(), control.events()]);
  return { status, events: recent.events, at: new Date() };
}

async function frameContaining(lastFrame: () => string | undefined, text: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const frame = lastFrame() ?? '';
    if (frame.includes(text)) return frame;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no frame contained ${JSON.stringify(text)}; last:\n${lastFrame() ?? ''}`);
}

describe('llmgate status --watch', () => {
  it('shows the daemon as protected, then each request with the rules that redacted it', async () => {
    const view = render(<StatusWatch load={live} intervalMs={100} />);
    try {
      const first = await frameContaining(view.lastFrame, 'Protected');
      expect(first).toContain(h.env.proxyUrl);
      expect(first).toContain('none yet');

      const res = await send(agent, CHAT, { headers: HEADERS, body: chat(`deploy with ${AWS_KEY}`) });
      expect(res.status).toBe(200);
      const frame = await frameContaining(view.lastFrame, 'redacted 1 (aws-access-key-id)');
      expect(frame).toContain('api.openai.com/v1/chat/completions');
      // time, status, host and path, the model the provider answered with, what llmgate did
      expect(frame).toMatch(
        /\d\d:\d\d:\d\d {2}200 {2}api\.openai\.com\/v1\/chat\/completions {2}\S+ {2}redacted 1/,
      );
      expect(frame).not.toContain(AWS_KEY);
    } finally {
      view.unmount();
    }
  });

  it('asks for attention after a refusal, naming the rule', async () => {
    const res = await send(agent, CHAT, { headers: HEADERS, body: chat(`key:\n${PRIVATE_KEY}`) });
    expect(res.status).toBe(403);
    const view = render(<StatusWatch load={live} intervalMs={100} />);
    try {
      const frame = await frameContaining(view.lastFrame, 'was refused (rule private-key)');
      expect(frame).toContain('refused (private-key)');
    } finally {
      view.unmount();
    }
  });

  it('says how to start the daemon when it does not answer, and keeps checking', async () => {
    let up = false;
    let status: StatusReply | undefined;
    const load = async (): Promise<WatchSnapshot> => {
      status = up ? await control.status() : undefined;
      return { status, events: [], at: new Date() };
    };
    const view = render(<StatusWatch load={load} intervalMs={50} />);
    try {
      const frame = await frameContaining(view.lastFrame, 'llmgate is not running');
      expect(frame).toContain('llmgate start');
      up = true;
      await frameContaining(view.lastFrame, 'Protected');
    } finally {
      view.unmount();
    }
  });
});
