/**
 * Real TLS clients against leaves of the llmgate CA: what a proxy-minted leaf gets (accepted), and what a
 * leaf forged with the stolen CA key gets for a name outside the constraints (rejected, by the client's own
 * name-constraint check, not by hostname matching: each forged leaf is valid for the name dialled).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { loadOrCreateCa, type LocalCa } from '../../core/ca/index.js';
import {
  curlClient,
  forgeLeaf,
  nodeClient,
  pythonClient,
  startTlsServer,
  tempHome,
  type ClientResult,
  type TestServer,
} from './helpers.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let ca: LocalCa;
const servers: TestServer[] = [];

beforeAll(async () => {
  home = await tempHome();
  ca = await loadOrCreateCa({
    certPath: home.certPath,
    keyPath: home.keyPath,
    permittedHosts: ['api.openai.com', 'openai.azure.com'],
  });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await home.cleanup();
});

async function serve(options: Parameters<typeof startTlsServer>[0]): Promise<TestServer> {
  const server = await startTlsServer(options);
  servers.push(server);
  return server;
}

interface Client {
  name: string;
  connect(port: number, host: string): Promise<ClientResult>;
}

const clients: Client[] = [
  { name: 'Node tls.connect', connect: (port, host) => nodeClient(ca.certPem, port, host) },
  { name: 'curl', connect: (port, host) => curlClient(home.certPath, port, host) },
  { name: 'Python ssl', connect: (port, host) => pythonClient(home.certPath, port, host) },
];

/** How each client reports a name-constraint violation (OpenSSL's X509_V_ERR_{PERMITTED,EXCLUDED}_VIOLATION). */
function expectViolation(client: string, result: ClientResult, kind: 'permitted' | 'excluded'): void {
  expect(result.ok, `${client}: ${result.message}`).toBe(false);
  const text = `${kind} subtree violation`;
  switch (client) {
    case 'Node tls.connect':
      // Node has no named code for this verify error; the message is OpenSSL's text.
      expect(result).toMatchObject({ code: 'UNSPECIFIED', message: text });
      break;
    case 'curl':
      expect(result.code).toBe('60');
      expect(result.message).toContain(`curl: (60) SSL certificate problem: ${text}`);
      break;
    case 'Python ssl':
      expect(result.code).toBe('SSLCertVerificationError');
      expect(result.message).toContain(`certificate verify failed: ${text}`);
      break;
    default:
      throw new Error(`unknown client ${client}`);
  }
}

describe('a leaf minted by the CA', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve({ contextFor: (host) => ca.secureContextFor(host) });
  });

  test.each(clients.map((c) => [c.name, c] as const))(
    'is accepted by %s for api.openai.com',
    async (_name, client) => {
      const result = await client.connect(server.port, 'api.openai.com');
      expect(result.ok, result.message).toBe(true);
    },
  );

  test.each(clients.map((c) => [c.name, c] as const))(
    'is accepted by %s for a subdomain of a permitted host (myres.openai.azure.com)',
    async (_name, client) => {
      const result = await client.connect(server.port, 'myres.openai.azure.com');
      expect(result.ok, result.message).toBe(true);
    },
  );
});

describe('a leaf forged with the CA key', () => {
  test.each(clients.map((c) => [c.name, c] as const))(
    'is accepted by %s when its name is permitted (the forger itself is sound)',
    async (_name, client) => {
      const leaf = await forgeLeaf(home, { commonName: 'api.openai.com', dns: ['api.openai.com'] });
      const server = await serve({ fixed: leaf });
      const result = await client.connect(server.port, 'api.openai.com');
      expect(result.ok, result.message).toBe(true);
    },
  );

  test.each(clients.map((c) => [c.name, c] as const))(
    'is rejected by %s for bank.example.com (permitted subtree violation)',
    async (name, client) => {
      const leaf = await forgeLeaf(home, { commonName: 'bank.example.com', dns: ['bank.example.com'] });
      const server = await serve({ fixed: leaf });
      expectViolation(name, await client.connect(server.port, 'bank.example.com'), 'permitted');
    },
  );

  test.each(clients.map((c) => [c.name, c] as const))(
    'is rejected by %s for IP address 127.0.0.1 (excluded subtree violation)',
    async (name, client) => {
      const leaf = await forgeLeaf(home, { commonName: 'api.openai.com', ip: ['127.0.0.1'] });
      const server = await serve({ fixed: leaf });
      expectViolation(name, await client.connect(server.port, '127.0.0.1'), 'excluded');
    },
  );

  test.each(clients.map((c) => [c.name, c] as const))(
    'is rejected by %s even for a permitted name when it also carries an IP SAN',
    async (name, client) => {
      const leaf = await forgeLeaf(home, {
        commonName: 'api.openai.com',
        dns: ['api.openai.com'],
        ip: ['127.0.0.1'],
      });
      const server = await serve({ fixed: leaf });
      expectViolation(name, await client.connect(server.port, 'api.openai.com'), 'excluded');
    },
  );
});
