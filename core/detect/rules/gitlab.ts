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
      'Other GitLab tokens: deploy (gldt-), runner (glrt-), pipeline trigger (glptt-), feed (glft-), incoming mail (glimt-), agent (glagent-), SCIM (glsoat-), CI job (glcbt-), OAuth secret (gloas-), feature flags (glffct-), runner registration (GR1348941), session cookie (_gitlab_session=).',
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
      '_gitlab_session=',
    ],
    matchStart: [0, 0],
    // Pipeline trigger tokens are 40 hex characters; each other type has a minimum length (20, incoming
    // mail 25, agent 50, OAuth secret 64) and grows in newer GitLab versions; routable tokens (GitLab 17+)
    // end in `.`, a 2-character version and a 7-character crc.
    pattern: new RegExp(
      '(?<![A-Za-z0-9_-])(?:' +
        [
          'glptt-[0-9a-f]{40}',
          '(?:(?:gldt|glrt|glft|glsoat|glffct|glcbt)-[A-Za-z0-9_-]{20,300}|glimt-[A-Za-z0-9_-]{25,300}|glagent-[A-Za-z0-9_-]{50,300}|gloas-[A-Za-z0-9_-]{64,300})(?:\\.[0-9a-z]{9})?',
          'GR1348941[A-Za-z0-9_-]{20,300}',
          '_gitlab_session=[0-9a-z]{32}',
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
      'incoming_email_token: glimt-gu8Y6J0ExxbqzXdJ2L3HZpYuR',
      'runner: glrt-t1_w2Vq9nJ3kBzXmP7cL4rT8yFhGd5.01a7k2x9q',
      'Cookie: _gitlab_session=p9w2k7x4m1q8z3v6b0n5c2j7h4g1f8d3',
    ],
    falsePositives: [
      'ref gldt-short1234',
      'ref glrt-xxxxxxxxxxxxxxxxxxxxxxxx',
      'ref GR1348941DOR6rwTJ0dl', // too short
      'the gldt-prefix is documented',
      'ref glptt-Zq8vR2mT9pXk4LwN7cYb3HjD6fGs1aEu0oQiWrTy', // pipeline trigger tokens are hex
      'ref glimt-gu8Y6J0ExxbqzXdJ2L3HZpYu', // 24 characters
      'ref glagent-gu8Y6J0ExxbqzXdJ2L3H', // 20 characters
      'ref gldt-zbzRFwyoKDczsNQsZEY', // 19 characters
    ],
  },
];
