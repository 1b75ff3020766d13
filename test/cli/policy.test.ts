/**
 * `llmgate policy show` and `policy explain` as a user runs them, without a daemon: the policy in force
 * comes from the local policy file, detectors from config merged with it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_KEY } from '../support/secrets.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'llmgate.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function llmgate(home: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LLMGATE_HOME: home, LANG: 'C.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

let home: string;
const request = (model: string, content = 'hello', groups?: string[]) =>
  JSON.stringify({
    url: 'https://api.openai.com/v1/chat/completions',
    ...(groups === undefined ? {} : { user: { groups } }),
    body: {
      model,
      messages: [{ role: 'user', content }],
      tools: [{ type: 'function', function: { name: 'lookup_ticket' } }],
    },
  });

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lg-cli-policy-'));
  await writeFile(
    path.join(home, 'policy.json'),
    JSON.stringify({
      id: 'team-local',
      version: 2,
      defaultGroup: 'everyone',
      rules: [
        { id: 'base-models', models: { allow: ['gpt-4o-mini'] } },
        { id: 'eng-models', groups: ['engineering'], models: { allow: ['gpt-4o'] } },
        { id: 'ticket-tools', tools: { allow: ['lookup_*'] } },
      ],
    }),
  );
  await writeFile(path.join(home, 'config.json'), JSON.stringify({ policy: { file: 'policy.json' } }));
  await writeFile(path.join(home, 'blocked.json'), request('gpt-4o'));
  await writeFile(path.join(home, 'engineer.json'), request('gpt-4o', 'hello', ['engineering']));
  await writeFile(path.join(home, 'secret.json'), request('gpt-4o-mini', `use ${AWS_KEY}`));
});
afterAll(async () => rm(home, { recursive: true, force: true }));

describe('llmgate policy', () => {
  it('explains a refusal with the rule, reason and fix, and exits 1', async () => {
    const run = await llmgate(home, ['policy', 'explain', path.join(home, 'blocked.json')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('decision  block (rule base-models, HTTP 403)');
    expect(run.stdout).toContain(
      'reason    Model gpt-4o is not among the models allowed for group everyone.',
    );
    expect(run.stdout).toContain('fix       Use one of: gpt-4o-mini.');
    expect(run.stdout).toContain('ticket-tools  allow tool: tool lookup_ticket matches allow "lookup_*"');
  });

  it('explains an allowed request for another group, listing every rule that matched, as JSON', async () => {
    const run = await llmgate(home, ['policy', 'explain', path.join(home, 'engineer.json'), '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      decision: string;
      groups: string[];
      rules: { rule: string; effect: string }[];
    };
    expect(out.decision).toBe('allow');
    expect(out.groups).toEqual(['engineering']);
    expect(out.rules.map((r) => `${r.rule}:${r.effect}`)).toEqual(['eng-models:allow', 'ticket-tools:allow']);
  });

  it('says a request would be redacted, naming the detector rule', async () => {
    const run = await llmgate(home, ['policy', 'explain', path.join(home, 'secret.json'), '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { decision: string; findings: { rule: string; action: string }[] };
    expect(out.decision).toBe('redact');
    expect(out.findings).toEqual([{ rule: 'aws-access-key-id', category: 'secret', action: 'redact' }]);
  });

  it('shows the policy in force from disk when the daemon is not running', async () => {
    const run = await llmgate(home, ['policy', 'show']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^policy +team-local version 2 \(local-file, unsigned\)$/m);
    expect(run.stdout).toMatch(/^rules +3$/m);
    expect(run.stdout).toContain(
      '# llmgate is not running: shown from disk (the local policy file or the cached org policy), not fetched.',
    );
  });
});
