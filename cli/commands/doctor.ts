import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { StatusReply } from '../../core/control/index.js';
import { CliExit, EXIT_FOUND, client, paths } from '../context.js';

interface Check {
  ok: boolean;
  what: string;
  fix?: string;
}

/** A CONNECT without credentials must get llmgate's 407: proves the port is llmgate and auth is on. */
function probeProxy(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'CONNECT',
      path: 'example.invalid:443',
      timeout: 2000,
    });
    req.once('connect', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}

export async function doctor(): Promise<void> {
  const p = paths();
  const checks: Check[] = [];
  let status: StatusReply | undefined;
  try {
    status = await client().status();
    checks.push({ ok: true, what: `daemon running (pid ${status.pid}) at ${status.proxy.url}` });
  } catch {
    checks.push({ ok: false, what: 'daemon is not running', fix: 'llmgate start' });
  }
  if (existsSync(p.caCert) && existsSync(p.caKey)) {
    const mode = statSync(p.caKey).mode & 0o777;
    checks.push(
      mode & 0o077
        ? {
            ok: false,
            what: `CA key ${p.caKey} is readable by others (mode ${mode.toString(8)})`,
            fix: `chmod 600 ${p.caKey}`,
          }
        : { ok: true, what: `CA at ${p.caCert}, key owner-only` },
    );
  } else {
    checks.push({ ok: false, what: 'no llmgate CA yet', fix: 'llmgate start (creates it)' });
  }
  checks.push(
    existsSync(p.trustBundle)
      ? { ok: true, what: `trust bundle at ${p.trustBundle}` }
      : { ok: false, what: 'no trust bundle (system roots + llmgate CA)', fix: 'llmgate start (writes it)' },
  );
  if (status !== undefined) {
    const code = await probeProxy(status.proxy.port);
    checks.push(
      code === 407
        ? { ok: true, what: 'proxy answers and requires credentials' }
        : {
            ok: false,
            what: `proxy on port ${status.proxy.port} did not answer as expected (${code ?? 'no answer'})`,
            fix: 'llmgate stop && llmgate start',
          },
    );
    // Audit export: only when a collector is configured; a failing one is worth a fix, not a hunt.
    const sync = status.audit.sync;
    if (sync !== null) {
      checks.push(
        sync.lastResult === 'error'
          ? {
              ok: false,
              what: `audit export to ${sync.url} failing (${sync.lastError ?? 'error'}), backlog ${status.audit.backlog}`,
              fix: 'check audit.sink in config.json and the collector, then: llmgate audit sync',
            }
          : { ok: true, what: `audit export to ${sync.url} (backlog ${status.audit.backlog})` },
      );
    }
  }
  const proxyVar = process.env.HTTPS_PROXY ?? process.env.https_proxy;
  if (proxyVar === undefined) {
    checks.push({ ok: false, what: 'HTTPS_PROXY is not set in this shell', fix: 'eval "$(llmgate env)"' });
  } else if (status !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(proxyVar);
    } catch {
      url = undefined;
    }
    const pointsHere =
      url !== undefined && url.hostname === '127.0.0.1' && Number(url.port) === status.proxy.port;
    checks.push(
      pointsHere && url!.password !== ''
        ? { ok: true, what: 'HTTPS_PROXY points at llmgate with credentials' }
        : {
            ok: false,
            what: 'HTTPS_PROXY does not point at this llmgate (or lacks credentials)',
            fix: 'eval "$(llmgate env)"',
          },
    );
  }
  const caVar = process.env.NODE_EXTRA_CA_CERTS;
  checks.push(
    caVar === p.caCert
      ? { ok: true, what: 'NODE_EXTRA_CA_CERTS trusts the llmgate CA' }
      : { ok: false, what: 'NODE_EXTRA_CA_CERTS does not name the llmgate CA', fix: 'eval "$(llmgate env)"' },
  );
  for (const name of ['SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE']) {
    const value = process.env[name];
    checks.push(
      value === p.trustBundle
        ? { ok: true, what: `${name} uses the llmgate trust bundle` }
        : {
            ok: false,
            what: `${name} is ${value === undefined ? 'not set' : `"${value}"`}`,
            fix: 'eval "$(llmgate env)"',
          },
    );
  }
  for (const check of checks) {
    process.stdout.write(
      `${check.ok ? 'ok ' : 'FIX'}  ${check.what}${check.fix !== undefined ? `\n       fix: ${check.fix}` : ''}\n`,
    );
  }
  if (checks.some((c) => !c.ok)) throw new CliExit(EXIT_FOUND);
}
