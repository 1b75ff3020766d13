import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/** Airtable: personal access tokens `pat` + 14 + `.` + 64 hex; legacy API keys (`key…`, 17) next to an airtable name. */
export const airtableRules: readonly Rule[] = [
  prefixedToken({
    id: 'airtable-personal-access-token',
    description: 'Airtable personal access token (pat + 14 characters + . + 64 hex).',
    keywords: ['pat'],
    body: 'pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}',
    minEntropy: 3,
    truePositives: [
      'AIRTABLE_TOKEN=patGpnveL7BgZx5SE.249796bf67e35907a05495c12b46c2e9ee6676bccfdbd75d058d106e2505db68',
      'Authorization: Bearer patGpnveL7BgZx5SE.249796bf67e35907a05495c12b46c2e9ee6676bccfdbd75d058d106e2505db68',
    ],
    falsePositives: [
      'ref patGpnveL7BgZx5SE.249796bf67e35907a05495c12b46c2e9ee6676bccfdbd75d058d106e2505db6', // 63 hex
      'ref patGpnveL7BgZx5S.249796bf67e35907a05495c12b46c2e9ee6676bccfdbd75d058d106e2505db68', // 13 characters
      'path.resolve(__dirname, "dist")',
    ],
  }),
  keyedSecret({
    id: 'airtable-api-key',
    description: 'Airtable legacy API key (17 characters) assigned to an airtable key name.',
    names: ['airtable'],
    value: '[a-z0-9]{17}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['AIRTABLE_API_KEY=keyGpnveL7BgZx5SE', 'airtable_key: "1x1x1i94ekgnrgrn1"'],
    falsePositives: [
      'AIRTABLE_BASE=app1x1x1i94ekgnrgrn1', // 20 characters
      'AIRTABLE_BASE=1x1x1i94ekgn', // too short
      'airtable_table: "Customers"',
    ],
  }),
];
