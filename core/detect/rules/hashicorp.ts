import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/**
 * HashiCorp: Terraform Cloud / Enterprise API tokens (14 characters `.atlasv1.` 60-70), and Vault service
 * (`hvs.`), batch (`hvb.`) and legacy service (`s.` + 24, next to a vault name) tokens.
 */
export const hashicorpRules: readonly Rule[] = [
  {
    id: 'hashicorp-tf-api-token',
    category: 'secret',
    description: 'Terraform Cloud / Enterprise API token (14 characters .atlasv1. 60-70 characters).',
    keywords: ['.atlasv1.'],
    // The token starts 14 characters before `.atlasv1.`.
    matchStart: [-14, -14],
    pattern: /(?<![A-Za-z0-9_-])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'TFE_TOKEN=gqlyica1vwweba.atlasv1.O3v6rlX-hLO_aUKUawOPc0qlCsyCM5nMXNtm_KmbGxbrAP-VWnYKeQji4b8EzS-Vcq',
      'credentials "app.terraform.io" {\n  token = "gqlyica1vwweba.atlasv1.O3v6rlX-hLO_aUKUawOPc0qlCsyCM5nMXNtm_KmbGxbrAP-VWnYKeQji4b8EzS-Vcq"\n}',
    ],
    falsePositives: [
      'token = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
      'ref gqlyica1vwweba.atlasv1.O3v6rlX-hLO_aUKUawOPc0qlCsyCM5nMXNtm_KmbGxb', // too short
    ],
  },
  prefixedToken({
    id: 'vault-service-token',
    description: 'HashiCorp Vault service token (hvs. + 90-120 characters).',
    keywords: ['hvs.'],
    body: 'hvs\\.[A-Za-z0-9_-]{90,120}',
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 3.5,
    truePositives: [
      'VAULT_TOKEN=hvs.lPGcJzH95BphsRbngRV79KwMvNEah4tBFx6EZ9CuTiAdgnbE30hMbM3sBPcGKB5T36SIxNEJHYBeQSZog4EwSin4_BrtvKe6sRuB',
    ],
    falsePositives: [
      'ref hvs.lPGcJzH95BphsRbngRV79KwMvNEah4tBFx6EZ9CuTiAdgnbE30', // too short
      'ref xhvs.lPGcJzH95BphsRbngRV79KwMvNEah4tBFx6EZ9CuTiAdgnbE30hMbM3sBPcGKB5T36SIxNEJHYBeQSZog4EwSin4_BrtvKe6sRuB',
      'ref hvs.abc',
    ],
  }),
  prefixedToken({
    id: 'vault-batch-token',
    description: 'HashiCorp Vault batch token (hvb. + 138-300 characters).',
    keywords: ['hvb.'],
    body: 'hvb\\.[A-Za-z0-9_-]{138,300}',
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 3.5,
    truePositives: [
      'VAULT_TOKEN=hvb.NiF5r6MTXPWjlPM7DUW8rvECmasXAdklvsaffYpcPfRUei4L3nLQqJ4MTw-hgZMGVoAOmE9Y3MSJim1suXtjusrm1OHvxzT1X3-vPjg6CeoIU0C284fVc0IHKj8311YkuaKTcSVEoGH_n1S3-OFPr5',
    ],
    falsePositives: [
      'ref hvb.tooshortxxx',
      'ref hvb.NiF5r6MTXPWjlPM7DUW8rvECmasXAdklvsaffYpcPfRUei4L3nLQqJ4MTw',
    ],
  }),
  keyedSecret({
    id: 'vault-legacy-service-token',
    description: 'HashiCorp Vault legacy service token (s. + 24 characters) assigned to a vault key name.',
    names: ['vault'],
    value: 's\\.[A-Za-z0-9]{24}',
    minEntropy: 3,
    truePositives: ['VAULT_TOKEN=s.jrlabmqmblv2870l79x0ihf6', 'vault_token: "s.jrlabmqmblv2870l79x0ihf6"'],
    falsePositives: ['vault: s.jrlabmqmblv2870l79x0ihf', 'VAULT_ADDR=https://vault.internal.test:8200'],
  }),
];
