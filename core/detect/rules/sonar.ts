import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * SonarQube / SonarCloud tokens: current ones carry a type prefix (`squ_` user, `sqp_` project, `sqa_` global
 * analysis) and 40 hex; older ones are 40 characters next to a `sonar.login` / `SONAR_TOKEN` key.
 */
export const sonarRules: readonly Rule[] = [
  {
    id: 'sonarqube-token',
    category: 'secret',
    description: 'SonarQube user, project or global analysis token (squ_/sqp_/sqa_ + 40 hex).',
    keywords: ['squ_', 'sqp_', 'sqa_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])sq[upa]_[a-f0-9]{40}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SONAR_TOKEN=squ_3b0e423b0aa0764ce17b1304511f1891f6929c8c',
      'sonar-scanner -Dsonar.token=sqp_5b066904d86ef99fd3062119c60368bc9cdc87aa',
    ],
    falsePositives: [
      'ref squ_f632cf7358f5dfe2e774bf21f168ae',
      'ref sqx_e8e9c001613656b7c8278a11383ed843ed55c447',
    ],
  },
  {
    id: 'sonar-api-token',
    category: 'secret',
    description:
      'Sonar token: 40 characters (optionally squ_/sqp_/sqa_-prefixed) assigned to a sonar login or token key.',
    keywords: ['sonar'],
    matchStart: [0, 0],
    pattern: assignedAfterName('sonar[_.-]?(?:login|token)', '(?:sq[upa]_)?[a-z0-9=_-]{40}', {
      after: 'A-Za-z0-9_=-',
    }),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'sonar.login=fZeI0k7hRWwviF1Cyd5lqwbMgzvdbHaDIFmu6PTO',
      'SONAR_TOKEN: "2159014a506a3dba190f686327b436f0872608cb"',
      'sonar.token ?= 5u3bx8ndbywsab7fgomkgmpdtgivnxditj506dg2',
    ],
    falsePositives: [
      'sonar.login=admin',
      'SONAR_TOKEN=${{ secrets.SONAR_TOKEN }}',
      'sonar.host.url=https://sonarcloud.io',
    ],
  },
];
