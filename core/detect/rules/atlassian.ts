import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/**
 * Atlassian (Jira, Confluence, Bitbucket Cloud) API tokens: `ATATT3` + 186 characters (the last 9 a `=` and
 * a hex checksum) today; 24 characters next to an atlassian, jira or confluence name before that.
 */
export const atlassianRules: readonly Rule[] = [
  prefixedToken({
    id: 'atlassian-api-token',
    description: 'Atlassian API token (ATATT3 + 186 characters).',
    keywords: ['atatt3'],
    body: 'ATATT3[A-Za-z0-9_=-]{186}',
    minEntropy: 3.5,
    truePositives: [
      'JIRA_API_TOKEN=ATATT3xFfGF05W4hhELvj43x1dt5h1jZic_WUpbMZeisKE5gAUMqiqzaMdL5N89evNiCMCwPh3uoX4aNguvAbP13Qqt6W50dJkmd1SDKkOPrR28S7C0NgRyF-WmSnmRgKBjBvcBT2eTsFuIvm4F0uef-Drf-h2fPdY1af9tRyTtUrDMyGDpIkLu=A41C07E2',
    ],
    falsePositives: [
      'ref ATATT3xFfGF05W4hhELvj43x1dt5h1jZic_WUpbMZeisKE5gAUMqiqzaMdL5N89evNiCMCwPh3uoX4aNguvAbP13Qqt6W50dJkmd1SDKkOPrR28S7C0NgRyF', // too short
      'ref ATATT3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
  keyedSecret({
    id: 'atlassian-legacy-api-token',
    description:
      'Atlassian legacy API token (24 characters) assigned to an atlassian, jira or confluence key name.',
    names: ['atlassian', 'confluence', 'jira'],
    value: '[a-z0-9]{20}[a-f0-9]{4}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'JIRA_API_TOKEN=xtuykxaghk2oh32ut2io66f2',
      '<confluenceToken>\n    xtuykxaghk2oh32ut2io66f2\n</confluenceToken>',
      'atlassian_token: "xtuykxaghk2oh32ut2io66f2"',
    ],
    falsePositives: [
      'JIRA_PROJECT_KEY=xtuykxaghk2oh32ut2io66fz', // last four are not hex
      'JIRA_BASE_URL=https://acme.atlassian.net',
      'jira_issue: PLAT-1234',
    ],
  }),
];
