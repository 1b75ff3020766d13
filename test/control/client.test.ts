/**
 * The control client reading error replies: a code llmgate knows reaches the face unchanged; one it
 * does not know (a newer or misbehaving daemon) is a bad reply, never cast into the code union.
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../core/control/index.js';

let dir: string;
let server: http.Server;
let reply: { code: string; message: string };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lg-ctl-'));
  server = http.createServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: reply }));
  });
  await new Promise<void>((resolve) => server.listen(path.join(dir, 'control.sock'), resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('control client error replies', () => {
  it('passes on a code llmgate knows', async () => {
    reply = { code: 'LG_IDENTITY_DENIED', message: 'sign-in was denied' };
    await expect(new ControlClient(path.join(dir, 'control.sock')).status()).rejects.toMatchObject({
      code: 'LG_IDENTITY_DENIED',
    });
  });

  it.each(['LG_IDENTITY_FROM_THE_FUTURE', 'LG_X_Y', 'not-a-code'])(
    'reports an unknown code (%s) as LG_CONTROL_BAD_REPLY',
    async (code) => {
      reply = { code, message: 'something' };
      await expect(new ControlClient(path.join(dir, 'control.sock')).status()).rejects.toMatchObject({
        code: 'LG_CONTROL_BAD_REPLY',
        message: expect.stringContaining(code),
      });
    },
  );
});
