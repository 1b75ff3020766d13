import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** GitHub tokens: a typed prefix, then 36 base62 characters (fine-grained PATs: 22 + `_` + 59). */
function classic(id: string, prefix: string, description: string, sample: string, sibling: string): Rule {
  return {
    id,
    category: 'secret',
    description,
    keywords: [prefix],
    matchStart: [0, 0],
    pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[A-Za-z0-9]{36}(?![A-Za-z0-9_])`),
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      `GITHUB_TOKEN=${sample}`,
      `git clone https://${sample}@github.com/acme/infra.git`,
      `{"token": "${sample}"}`,
    ],
    falsePositives: [
      `ref ${sample.slice(0, -1)}`, // 35 characters
      `ref ${sample}0`, // 37 characters
      `ref ${prefix}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
      `ref ${prefix}${'A'.repeat(36)}`,
      `see ${sibling}`,
    ],
  };
}

const APP_TOKEN = classic(
  'github-app-token',
  'ghu_',
  'GitHub App user-to-server (ghu_) or installation (ghs_) token.',
  'ghu_cVFnMiZbbhxioFpLntE4G2FaY1z3xC3du1Zo',
  'ghz_cVFnMiZbbhxioFpLntE4G2FaY1z3xC3du1Zo',
);

export const githubRules: readonly Rule[] = [
  classic(
    'github-pat',
    'ghp_',
    'GitHub classic personal access token.',
    'ghp_wbm5wnyb3RtOiVeRvXg0OVtbCrLZHe5Vlasx',
    'ghx_wbm5wnyb3RtOiVeRvXg0OVtbCrLZHe5Vlasx',
  ),
  classic(
    'github-oauth-token',
    'gho_',
    'GitHub OAuth access token.',
    'gho_c8l2hYJuEpub8e9GKePcP3iGj2BMUgBmOqI5',
    'gh0_c8l2hYJuEpub8e9GKePcP3iGj2BMUgBmOqI5',
  ),
  {
    ...APP_TOKEN,
    keywords: ['ghu_', 'ghs_'],
    // Installation tokens also come as `ghs_<app id>_` + a signed JWT (three base64url parts).
    pattern:
      /(?<![A-Za-z0-9_])gh[us]_(?:[A-Za-z0-9]{36}|\d{1,12}_[A-Za-z0-9_-]{10,2048}\.[A-Za-z0-9_-]{10,2048}\.[A-Za-z0-9_-]{10,1024})(?![A-Za-z0-9_])/,
    truePositives: [
      'GH_APP_TOKEN=ghu_cVFnMiZbbhxioFpLntE4G2FaY1z3xC3du1Zo',
      'installation token: ghs_yA2knIbuAdklXA2lUVLMlMdvZQICAEMJG6NK',
      'GITHUB_TOKEN=ghs_918273_eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiI5MTgyNzMiLCJleHAiOjE3OTQ1MDAwMDB9.Zk3vQ9pL2mX7rT4wN8cB5yH1jF6dS0gA3eU',
    ],
  },
  classic(
    'github-refresh-token',
    'ghr_',
    'GitHub App refresh token.',
    'ghr_s7iYkRoi51DYldBN7XLxHiya7c1cNbyV7ekd',
    'ghq_s7iYkRoi51DYldBN7XLxHiya7c1cNbyV7ekd',
  ),
  {
    id: 'github-fine-grained-pat',
    category: 'secret',
    description: 'GitHub fine-grained personal access token (github_pat_ + 22 + _ + 59).',
    keywords: ['github_pat_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'GH_TOKEN=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',
      'Authorization: token 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',
    ],
    falsePositives: [
      'ref github_pat_QkCC32DiZZJCeUBzDsNnNL_fLRIBFQ5LHTtUHp8xv6gv8hraPPM60BMMc3zyHGSGR60lwl2J32hpRC8Jr',
      'ref github_pat_QkCC32DiZZJCeUBzDsNnNLfLRIBFQ5LHTtUHp8xv6gv8hraPPM60BMMc3zyHGSGR60lwl2J32hpRC8JrB',
      'the variable is called github_pat_token_name',
    ],
  },
];
