import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Package registry credentials: npm tokens (`npm_` + 36, or any value of `_authToken` / `_auth` / `_password`
 * in an .npmrc), GitHub OAuth tokens in git dependency URLs (`<token>:x-oauth-basic@`), PyPI upload tokens (a
 * macaroon whose base64 names pypi.org or test.pypi.org), RubyGems API keys (`rubygems_` + 48 hex) and NuGet
 * feed passwords in NuGet.Config.
 */
export const registryRules: readonly Rule[] = [
  {
    id: 'npm-access-token',
    category: 'secret',
    description: 'npm access token (npm_ + 36 base62 characters).',
    keywords: ['npm_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      '//registry.npmjs.org/:_authToken=npm_94lzRebalXwYTUpiKRKzKMPUngAh1UkuCWA0',
      'NODE_AUTH_TOKEN: npm_94lzRebalXwYTUpiKRKzKMPUngAh1UkuCWA0',
    ],
    falsePositives: [
      'ref npm_94lzRebalXwYTUpiKRKzKMPUngAh1UkuCWA', // 35 characters
      'run npm_config_cache=/tmp/npm-cache npm ci',
      'ref npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  {
    id: 'npmrc-auth-token',
    category: 'secret',
    description:
      'Registry credential in an .npmrc: the value of //<registry>/:_authToken, :_auth or :_password.',
    keywords: [':_auth', ':_password'],
    matchStart: [0, 0],
    pattern: /:_(?:authToken|auth|password)[ \t]{0,3}=[ \t]{0,3}["']?([A-Za-z0-9._~+/=-]{16,512})/i,
    secretGroup: 1,
    allowlist: [...PLACEHOLDER_ALLOWLIST, /^(?:true|false|null)$/i],
    truePositives: [
      '//npm.pkg.github.com/:_authToken=MnEwwOyuE4_ztzggV-LMH0f0l5qWus3fJ9Ed08I6',
      '//registry.internal.test/repository/npm/:_authToken=e373acdd-8cd7-4b23-ace7-349eba95b713',
      '//nexus.internal.test/repository/npm-group/:_auth=kuG33b1nMuQ71ALLaAv1T8ZAnxqX+N0w4jtW75L+',
    ],
    falsePositives: [
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
      '//npm.pkg.github.com/:_authToken=',
      '//registry.npmjs.org/:_authToken=<token>',
      'always-auth=true',
    ],
  },
  {
    id: 'npm-git-dependency-oauth-token',
    category: 'secret',
    description:
      'OAuth token in a git dependency URL of package.json or a lockfile (https://<token>:x-oauth-basic@host).',
    keywords: [':x-oauth-basic@'],
    // Anchored on `:x-oauth-basic@`; the token is captured in a lookbehind right before it.
    matchStart: [0, 0],
    pattern: /(?<=(?<![A-Za-z0-9_])([A-Za-z0-9_]{20,255})):x-oauth-basic@/,
    startGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      '"private-lib": "git+https://ee47a183ffa3ed40eb20cd7fde5db4e934aa116f:x-oauth-basic@github.com/acme/private-lib.git#v2.1.0"',
      '"resolved": "git+https://ghp_tws4G568KUgbC1TShrM6cHoRvHKeeH4mXfRq:x-oauth-basic@github.com/acme/ui-kit.git"',
    ],
    falsePositives: [
      'the userinfo is TOKEN:x-oauth-basic@ followed by the host',
      'see abc123:x-oauth-basic@ (too short)',
    ],
  },
  {
    id: 'pypi-upload-token',
    category: 'secret',
    description:
      'PyPI or TestPyPI API token (pypi- + macaroon starting AgEIcHlwaS5vcmc / AgENdGVzdC5weXBpLm9yZw).',
    keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9_-])pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    truePositives: [
      'password = pypi-AgEIcHlwaS5vcmctGsE9GLZW3nR3H1HIsuBy_bkBl5pR8VAr0_UnPKWuTcMb5XWKNfI20T_IJq-',
      'TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmctGsE9GLZW3nR3H1HIsuBy_bkBl5pR8VAr0_UnPKWuTcMb5XWKNfI20T_IJq-',
      'TEST_PYPI_TOKEN=pypi-AgENdGVzdC5weXBpLm9yZw2ylnxoQi-V4gC9Wg9BPsvrHtPjVy1HxXLrI-E77kYHB6wLcAXxqBLXYjYzBAlxKLIrFSZrn7Fbq6HDZw103DgrIr1xYkGLOG_SOn_D-XCO3YJY3xm_hgRMQr',
    ],
    falsePositives: [
      'ref pypi-AgEIcHlwaS5vcmc',
      'ref pypi-AgEIcHlwaS5vcmctGsE9GLZW3nR3H1',
      'ref pypi-AgENdGVzdC5weXBpLm9yZwWzIReySfuiFS9puVPju8',
    ],
  },
  {
    id: 'rubygems-api-token',
    category: 'secret',
    description: 'RubyGems API key (rubygems_ + 48 hex).',
    keywords: ['rubygems_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])rubygems_[a-f0-9]{48}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'GEM_HOST_API_KEY=rubygems_17d5e8cdafd47ae52978014447ed6424cbdc5fc633e8f9ce',
      '---\n:rubygems_api_key: rubygems_d7811da55ab679a540b51edf374a9b40a4b41d9d2295b2ef',
    ],
    falsePositives: ['ref rubygems_81c6d9522e1d6110515ff3ef7a7e0c', 'ref rubygems_api_key_for_ci'],
  },
  {
    id: 'nuget-config-password',
    category: 'secret',
    description: 'Feed password in a NuGet.Config (<add key="Password"/"ClearTextPassword" value="…" />).',
    keywords: ['<add key='],
    matchStart: [0, 0],
    pattern: /<add key="(?:ClearText)?Password"[ \t]{0,8}value="([^"\r\n]{8,256})"[ \t]{0,8}\/>/i,
    secretGroup: 1,
    minEntropy: 2.5,
    allowlist: [...PLACEHOLDER_ALLOWLIST, /^%[^%\s]{1,128}%$/],
    truePositives: [
      '<packageSourceCredentials><Acme><add key="Username" value="ci" /><add key="ClearTextPassword" value="wGcAWYOsSgAxAf3nBUO4BgPR" /></Acme></packageSourceCredentials>',
      '<add key="Password" value="AQAAANCMnd8BFdERjHoAwE/Cl+0WTuAHljPfNHTXPv1FVZ3I+yHKlpxGSysFcDfaRckMKvxLsc88AoLNVkBNhn" />',
    ],
    falsePositives: [
      '<add key="ClearTextPassword" value="%NUGET_FEED_PASSWORD%" />',
      '<add key="ClearTextPassword" value="short" />',
      '<add key="Username" value="A9RDoBDOehAWQwGrt51F3oxs" />',
    ],
  },
];
