/**
 * The `llmgate` command: a thin face. Daemon commands talk to the control API; `scan`, `audit` and `ca`
 * read local data through the core's pure modules and need no daemon.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { VERSION } from '../core/version.js';
import { explainError, EXIT_ERROR } from './context.js';

/**
 * Commands are loaded when run, so `llmgate scan` in a pre-commit hook does not load SQLite, undici or
 * the CA, and a problem in one of them cannot break the others.
 */
const lazy =
  <A extends unknown[]>(load: () => Promise<(...args: A) => unknown>) =>
  async (...args: A): Promise<void> => {
    await (
      await load()
    )(...args);
  };

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port number 0-65535 (0 = any free port)');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number');
  return n;
}

const program = new Command()
  .name('llmgate')
  .description('Local proxy that redacts secrets and PII from LLM traffic and keeps an audit log.')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

program
  .command('start')
  .description('start the daemon (proxy + control API)')
  .option('--foreground', 'run in this terminal instead of in the background')
  .option('--port <n>', 'proxy port on 127.0.0.1 (0 picks a free port)', port)
  .action(lazy(async () => (await import('./commands/start.js')).start));

program
  .command('stop')
  .description('stop the daemon cleanly (audit flushed)')
  .action(lazy(async () => (await import('./commands/stop.js')).stop));

program
  .command('status')
  .description('is it running, proxy URL, who is signed in, counters')
  .option('--json', 'print the control API status reply')
  .option('--watch', 'a live view with the recent requests (q to quit)')
  .action(lazy(async () => (await import('./commands/status.js')).status));

program
  .command('env')
  .description('shell lines to route tools through llmgate: eval "$(llmgate env)"')
  .addOption(
    new Option('--shell <shell>', 'shell syntax').choices(['sh', 'fish', 'powershell']).default('sh'),
  )
  .option('--base-urls', 'also set OPENAI_BASE_URL and ANTHROPIC_BASE_URL (base-URL mode)')
  .action(lazy(async () => (await import('./commands/env.js')).env));

program
  .command('scan')
  .description('run the detectors over files, directories or stdin; exit 1 when something was found')
  .argument('[inputs...]', 'files or directories to scan (.git and node_modules skipped); - for stdin')
  .option('--json', 'one JSON result per input: {id, findings, redacted}')
  .option('--jsonl', 'read {"id","text"} lines, write one result line per input')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'jsonl', 'sarif']))
  .option('--explain', "add each finding's rule description")
  .option('--rules', 'list the detector rules (with --json: as JSON)')
  .action(lazy(async () => (await import('./commands/scan.js')).scan));

program
  .command('login')
  .description('sign in through your organisation (SSO); tokens stay in the OS keychain')
  .option('--device-code', 'sign in on another device with a code (SSH sessions, headless machines)')
  .option('--no-browser', 'print the sign-in URL instead of opening a browser')
  .option('--json', 'print the URL (or verification URI and user code) as one JSON line, then the result')
  .action(lazy(async () => (await import('./commands/login.js')).login));

program
  .command('logout')
  .description('sign out: revoke the refresh token at the identity provider, delete tokens and device key')
  .option('--json', 'print the control API logout reply')
  .action(lazy(async () => (await import('./commands/login.js')).logout));

const audit = program.command('audit').description('the local audit log');
audit
  .command('tail')
  .description('the latest audit events')
  .option('-n, --lines <n>', 'how many', positive, 20)
  .option('--json', 'JSON Lines')
  .option('-f, --follow', 'keep printing new events as they are written (Ctrl-C ends)')
  .action(lazy(async () => (await import('./commands/audit.js')).auditTail));
audit
  .command('export')
  .description('all audit events as JSON Lines')
  .option('--since <time>', 'only events at or after this ISO time')
  .option('--json', 'JSON Lines (the default and only format)')
  .action(lazy(async () => (await import('./commands/audit.js')).auditExport));
audit
  .command('verify')
  .description(
    'check the hash chain and signed checkpoints; exit 1 and name the events when something was edited, deleted, inserted or reordered',
  )
  .option('--json', 'the verification report as JSON')
  .action(lazy(async () => (await import('./commands/audit.js')).auditVerify));
audit
  .command('sync')
  .description('export the audit backlog to the collector now (config audit.sink)')
  .option('--json', 'the control API reply')
  .action(lazy(async () => (await import('./commands/audit.js')).auditSync));

const policy = program
  .command('policy')
  .description('the org policy: what is in force, and why a request is allowed');
policy
  .command('show')
  .description('the policy in force: source, version, signature status, your groups and limits')
  .option('--json', 'print the control API policy reply')
  .action(lazy(async () => (await import('./commands/policy.js')).policyShow));
policy
  .command('pull')
  .description('fetch the org policy now (the daemon also does this on its refresh interval)')
  .option('--json', 'print the control API pull reply')
  .action(lazy(async () => (await import('./commands/policy.js')).policyPull));
policy
  .command('explain')
  .description('why a request would be allowed, redacted or blocked; exit 1 when blocked')
  .argument(
    '<request>',
    'a JSON file: {"url": "https://api.openai.com/v1/chat/completions", "user": {"groups": [...]}, "body": {...}}',
  )
  .option('--json', 'print the explanation as JSON')
  .action(lazy(async () => (await import('./commands/policy.js')).policyExplain));

const ca = program.command('ca').description('the local CA certificate');
ca.command('path')
  .description('print the CA certificate path')
  .action(lazy(async () => (await import('./commands/ca.js')).caPathCommand));
ca.command('export')
  .description('print the CA certificate (PEM)')
  .action(lazy(async () => (await import('./commands/ca.js')).caExport));

program
  .command('doctor')
  .description('check the setup and say how to fix what is wrong')
  .action(lazy(async () => (await import('./commands/doctor.js')).doctor));

// `llmgate scan --rules | head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const code = (err as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    const exitCode = (err as { exitCode?: number }).exitCode ?? EXIT_ERROR;
    // --help and --version exit 0; usage errors were already printed by commander.
    process.exitCode = exitCode === 0 ? 0 : EXIT_ERROR;
  } else {
    const { message, exitCode } = explainError(err);
    if (message !== '') process.stderr.write(`${message}\n`);
    process.exitCode = exitCode;
  }
}
