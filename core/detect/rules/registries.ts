import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Package registry publish tokens: npm (`npm_` + 36) and PyPI (a macaroon, base64 of `pypi.org`). */
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
    id: 'pypi-upload-token',
    category: 'secret',
    description: 'PyPI API token (pypi- + macaroon starting AgEIcHlwaS5vcmc).',
    keywords: ['pypi-ageichlwas5vcmc'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    truePositives: [
      'password = pypi-AgEIcHlwaS5vcmctGsE9GLZW3nR3H1HIsuBy_bkBl5pR8VAr0_UnPKWuTcMb5XWKNfI20T_IJq-',
      'TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmctGsE9GLZW3nR3H1HIsuBy_bkBl5pR8VAr0_UnPKWuTcMb5XWKNfI20T_IJq-',
    ],
    falsePositives: ['ref pypi-AgEIcHlwaS5vcmc', 'ref pypi-AgEIcHlwaS5vcmctGsE9GLZW3nR3H1'],
  },
];
