/**
 * The audit commands as a user runs them (the built CLI): `audit tail --follow` prints events as the
 * writer commits them, and `audit sync` without a running daemon says so and exits 2.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditWriter, type AuditEventInput, type AuditWriter } from '../../core/audit/index.js';

const BIN = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'bin/llmgate.js');

let home: string;
let writer: AuditWriter;

function input(id: string, model: string): AuditEventInput {
  return {
    id,
    time: new Date().toISOString(),
    user: null,
    device: 'laptop-1',
    host: 'api.openai.com',
    provider: 'openai',
    method: 'POST',
    path: '/v1/responses',
    model,
    stream: false,
    decision: 'allow',
    rules: [],
    redactions: {},
    status: 200,
    error: null,
    latencyMs: 2,
    bytes: { request: 1, response: 2 },
    usage: null,
  };
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lg-audit-cli-'));
  writer = await openAuditWriter({ file: path.join(home, 'audit.db') });
  await writer.append(input('before-follow', 'gpt-before'));
});

afterAll(async () => {
  await writer?.close();
  await rm(home, { recursive: true, force: true });
});

describe('audit commands', () => {
  it('tail --follow prints events written after it started, as JSON Lines', async () => {
    const child = spawn(process.execPath, [BIN, 'audit', 'tail', '--follow', '--json'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LLMGATE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const deadline = Date.now() + 10_000;
      while (!out.includes('before-follow') && Date.now() < deadline) await sleep(20);
      await writer.append(input('after-follow', 'gpt-after'));
      while (!out.includes('after-follow') && Date.now() < deadline) await sleep(20);
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; hash: string });
      expect(lines.map((l) => l.id)).toEqual(['before-follow', 'after-follow']);
      expect(lines[1]!.hash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('sync without a running daemon exits 2 with the start hint', async () => {
    const child = spawn(process.execPath, [BIN, 'audit', 'sync'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LLMGATE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('llmgate start');
  });
});
