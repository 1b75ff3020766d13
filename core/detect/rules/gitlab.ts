import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** GitLab tokens: every token type has a `gl…-` prefix (runner registration tokens: `GR1348941`). */
export const gitlabRules: readonly Rule[] = [
  {
    id: 'gitlab-pat',
    category: 'secret',
    description: 'GitLab personal, project or group access token (glpat-, legacy 20 characters or routable).',
    keywords: ['glpat-'],
    matchStart: [0, 0],
    // Legacy: 20 characters. Routable (GitLab 17+): 27+ characters, `.`, 2-character version, 7-character crc.
    pattern:
      /(?<![A-Za-z0-9_-])glpat-(?:[A-Za-z0-9_-]{20}|[A-Za-z0-9_-]{27,300}\.[0-9a-z]{9})(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'GITLAB_TOKEN=glpat-Cvf5IK0l5nBqZmh2yHPg',
      'curl --header "PRIVATE-TOKEN: glpat-Cvf5IK0l5nBqZmh2yHPg" https://gitlab.example.org/api/v4/projects',
      'glpat-tcyLAqmUYSsm91sfGroYkfrY8zR.01veexfxx',
    ],
    falsePositives: [
      'ref glpat-Cvf5IK0l5nBqZmh2yHP', // 19 characters
      'ref glpat-Cvf5IK0l5nBqZmh2yHPgQ', // 21 characters
      'ref glpat-xxxxxxxxxxxxxxxxxxxx',
      'ref glpat-<your-token>',
    ],
  },
  {
    id: 'gitlab-token',
    category: 'secret',
    description:
      'Other GitLab tokens: deploy (gldt-), runner (glrt-), pipeline trigger (glptt-), feed (glft-), incoming mail (glimt-), agent (glagent-), SCIM (glsoat-), CI job (glcbt-), OAuth secret (gloas-), feature flags (glffct-), runner registration (GR1348941).',
    keywords: [
      'gldt-',
      'glrt-',
      'glptt-',
      'glft-',
      'glimt-',
      'glagent-',
      'glsoat-',
      'glcbt-',
      'gloas-',
      'glffct-',
      'gr1348941',
    ],
    matchStart: [0, 0],
    // Pipeline trigger tokens are 40 hex characters; the other types have at least 20 characters (their
    // lengths differ by type and GitLab version, the prefix is what identifies them).
    pattern: new RegExp(
      '(?<![A-Za-z0-9_-])(?:' +
        [
          'glptt-[0-9a-f]{40}',
          '(?:gldt|glrt|glft|glimt|glagent|glsoat|glcbt|gloas|glffct)-[A-Za-z0-9_.-]{20,300}',
          'GR1348941[A-Za-z0-9_-]{20,300}',
        ].join('|') +
        ')(?![A-Za-z0-9_-])',
    ),
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'deploy: gldt-zbzRFwyoKDczsNQsZEYH',
      'runner: glrt-QxCd8uOccnsHCeghbiHA',
      'curl -X POST -F token=glptt-9ceb04973cfeb04a506d8507c92bf1ebfd907a83 -F ref=main',
      'registration-token: GR1348941DOR6rwTJ0dlwsWMUmlfx',
    ],
    falsePositives: [
      'ref gldt-short1234',
      'ref glrt-xxxxxxxxxxxxxxxxxxxxxxxx',
      'ref GR1348941DOR6rwTJ0dl', // too short
      'the gldt-prefix is documented',
      'ref glptt-Zq8vR2mT9pXk4LwN7cYb3HjD6fGs1aEu0oQiWrTy', // pipeline trigger tokens are hex
    ],
  },
];
