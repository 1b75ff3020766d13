import type { EnvReply } from '../../core/control/index.js';
import { CliExit, EXIT_ERROR, client } from '../context.js';

export type Shell = 'sh' | 'fish' | 'powershell';

const quoters: Record<Shell, (name: string, value: string) => string> = {
  sh: (name, value) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`,
  fish: (name, value) => `set -gx ${name} '${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}';`,
  // PowerShell also reads the typographic quotes U+2018-U+201B as single quotes; double them all.
  powershell: (name, value) => `$env:${name} = '${value.replace(/['\u2018-\u201b]/g, '$&$&')}'`,
};

/** The variables `llmgate env` sets, in order. */
export function envVariables(reply: EnvReply, baseUrls: boolean): [string, string][] {
  const noProxy = reply.noProxy.join(',');
  const vars: [string, string][] = [
    ['HTTPS_PROXY', reply.proxyUrlWithCredentials],
    ['https_proxy', reply.proxyUrlWithCredentials],
    ['NO_PROXY', noProxy],
    ['no_proxy', noProxy],
    // Node 22.21+/24 honour HTTPS_PROXY in fetch only with this set.
    ['NODE_USE_ENV_PROXY', '1'],
    ['NODE_EXTRA_CA_CERTS', reply.caCertPath],
    // Tools that replace the trust store get the system roots plus the llmgate CA.
    ['SSL_CERT_FILE', reply.trustBundlePath],
    ['REQUESTS_CA_BUNDLE', reply.trustBundlePath],
    ['CURL_CA_BUNDLE', reply.trustBundlePath],
  ];
  if (baseUrls) {
    if (reply.baseUrls.openai !== undefined) vars.push(['OPENAI_BASE_URL', reply.baseUrls.openai]);
    if (reply.baseUrls.anthropic !== undefined) vars.push(['ANTHROPIC_BASE_URL', reply.baseUrls.anthropic]);
  }
  return vars;
}

export async function env(options: { shell?: string; baseUrls?: boolean }): Promise<void> {
  const shell = (options.shell ?? 'sh') as Shell;
  if (!(shell in quoters))
    throw new CliExit(EXIT_ERROR, `llmgate env: unknown shell "${options.shell}" (sh, fish or powershell)`);
  const reply = await client().env();
  const quote = quoters[shell];
  const lines = envVariables(reply, options.baseUrls === true).map(([name, value]) => quote(name, value));
  process.stdout.write(`${lines.join('\n')}\n`);
}
