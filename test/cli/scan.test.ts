/**
 * `llmgate scan` as a pre-paste and CI tool: directories, SARIF, rule listing and explanations, through
 * the built CLI in a child process. The matched value never appears in a report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_KEY, EMAIL } from '../support/secrets.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'llmgate.js');

function llmgate(
  args: string[],
  input?: string,
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8', env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let tree: string;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  tree = await mkdtemp(path.join(os.tmpdir(), 'lg-scan-'));
  await mkdir(path.join(tree, 'config'));
  await mkdir(path.join(tree, 'node_modules', 'dep'), { recursive: true });
  await writeFile(path.join(tree, 'config', 'deploy.yml'), `region: eu-west-1\naws:\n  key: ${AWS_KEY}\n`);
  await writeFile(path.join(tree, 'notes.txt'), `ask ${EMAIL} about it\n`);
  await writeFile(path.join(tree, 'clean.md'), 'nothing to see here\n');
  await writeFile(path.join(tree, 'node_modules', 'dep', 'index.js'), `const k = '${AWS_KEY}';\n`);
  await writeFile(path.join(tree, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
});

afterAll(async () => {
  if (tree) await rm(tree, { recursive: true, force: true });
});

describe('llmgate scan on a directory', () => {
  it('reports file:line:column and rule for each finding, skipping node_modules and binary files, exit 1', () => {
    const run = llmgate(['scan', tree]);
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n').sort();
    expect(lines).toEqual([
      `${path.join(tree, 'config', 'deploy.yml')}:3:8: aws-access-key-id (secret)`,
      `${path.join(tree, 'notes.txt')}:1:5: email (pii)`,
    ]);
    expect(run.stdout).not.toContain(AWS_KEY);
  });

  it('adds the rule description with --explain', () => {
    const run = llmgate(['scan', '--explain', path.join(tree, 'config')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/aws-access-key-id \(secret\) - AWS access key/);
  });

  it('exits 0 on a clean file', () => {
    expect(llmgate(['scan', path.join(tree, 'clean.md')]).status).toBe(0);
  });
});

describe('llmgate scan --format sarif', () => {
  it('writes SARIF 2.1.0 with rule ids and regions, never the matched value', () => {
    const run = llmgate(['scan', '--format', 'sarif', tree]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[];
        }[];
      }[];
    };
    expect(report.version).toBe('2.1.0');
    const [runReport] = report.runs;
    expect(runReport!.tool.driver.name).toBe('llmgate');
    expect(runReport!.tool.driver.rules.map((r) => r.id).sort()).toEqual(['aws-access-key-id', 'email']);
    const aws = runReport!.results.find((r) => r.ruleId === 'aws-access-key-id')!;
    expect(aws.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 3, startColumn: 8 });
    expect(run.stdout).not.toContain(AWS_KEY);
    expect(run.stdout).not.toContain(EMAIL);
  });
});

describe('llmgate scan --rules', () => {
  it('lists every built-in rule with its category and description', () => {
    const run = llmgate(['scan', '--rules', '--json']);
    expect(run.status).toBe(0);
    const rules = JSON.parse(run.stdout) as { id: string; category: string; description: string }[];
    expect(rules.map((r) => r.id)).toEqual(
      expect.arrayContaining(['aws-access-key-id', 'email', 'private-key']),
    );
    expect(rules.every((r) => r.description.length > 0)).toBe(true);
  });

  it("adds the organisation's patterns and dictionaries from config, with each rule's action", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'lg-scan-home-'));
    try {
      await writeFile(
        path.join(home, 'config.json'),
        JSON.stringify({
          detect: {
            patterns: [{ id: 'ticket', description: 'Support ticket', pattern: 'SUP-[0-9]{5}' }],
            dictionaries: [{ id: 'customers', terms: ['Globex'] }],
            allowlist: [{ values: ['SUP-00000'] }],
            actions: { rules: { ticket: 'block' } },
          },
        }),
      );
      const env = { ...process.env, LLMGATE_HOME: home };
      const listed = llmgate(['scan', '--rules', '--json'], undefined, env);
      expect(listed.status).toBe(0);
      const rules = JSON.parse(listed.stdout) as { id: string; source: string; action: string }[];
      const byId = new Map(rules.map((r) => [r.id, r]));
      expect(byId.get('ticket')).toMatchObject({ source: 'pattern', action: 'block' });
      expect(byId.get('customers')).toMatchObject({ source: 'dictionary', action: 'redact' });
      expect(byId.get('ip-address-private')).toMatchObject({ source: 'builtin', action: 'allow' });
      const text = llmgate(['scan', '--rules'], undefined, env).stdout;
      expect(text).toMatch(/^ip-address-private\s+pii\s+off\s/m);

      const found = llmgate(['scan', '--explain'], 'ask Globex about SUP-48213, not SUP-00000\n', env);
      expect(found.status).toBe(1);
      expect(found.stdout).toBe('ask [REDACTED:customers] about [REDACTED:ticket], not SUP-00000\n');
      expect(found.stderr).toContain('ticket (custom): block - Support ticket');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('refuses two output formats at once with exit 2', () => {
    const run = llmgate(['scan', '--json', '--format', 'sarif'], 'x');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('one output format');
  });
});
