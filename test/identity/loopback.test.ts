/**
 * The loopback redirect receiver: only the redirect that carries the sign-in's own `state` ends the
 * sign-in; anything else on this machine that finds the port gets a 400 and changes nothing.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startLoopbackReceiver } from '../../core/identity/loopback.js';

const STATE = 'expected-state-0123456789abcdef';

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await request(url);
  return { status: res.statusCode, body: await res.body.text() };
}

describe('loopback redirect receiver', () => {
  it('answers a forged callback before the real one with 400 and keeps waiting for the real one', async () => {
    const receiver = await startLoopbackReceiver({ timeoutMs: 10_000, state: STATE });
    let settled = false;
    void receiver.received.then(
      () => (settled = true),
      () => (settled = true),
    );
    const forged = await get(`${receiver.redirectUri}?code=attacker-code&state=guessed`);
    expect(forged.status).toBe(400);
    expect(forged.body).not.toContain('Signed in');
    const stateless = await get(`${receiver.redirectUri}?code=attacker-code`);
    expect(stateless.status).toBe(400);
    const forgedError = await get(`${receiver.redirectUri}?error=access_denied`);
    expect(forgedError.status).toBe(400);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);

    const real = await get(`${receiver.redirectUri}?code=real-code&state=${STATE}`);
    expect(real.status).toBe(200);
    expect(real.body).toContain('Signed in to llmgate');
    const url = await receiver.received;
    expect(url.searchParams.get('code')).toBe('real-code');
    receiver.close();
  });

  it('passes on an error redirect that carries the state (the user refused)', async () => {
    const receiver = await startLoopbackReceiver({ timeoutMs: 10_000, state: STATE });
    const page = await get(`${receiver.redirectUri}?error=access_denied&state=${STATE}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sign-in did not complete');
    expect((await receiver.received).searchParams.get('error')).toBe('access_denied');
    receiver.close();
  });
});
