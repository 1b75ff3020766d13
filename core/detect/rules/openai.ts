import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * OpenAI API keys. Current keys are `sk-proj-`, `sk-svcacct-` or `sk-admin-` followed by a long base64url
 * body; legacy user keys are `sk-` + 48 characters with the `T3BlbkFJ` marker ("OpenAI" in base64) inside.
 */
export const openaiRules: readonly Rule[] = [
  {
    id: 'openai-api-key',
    category: 'secret',
    description:
      'OpenAI API key (project, service account, admin, or legacy sk- key with the T3BlbkFJ marker).',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-none-', 't3blbkfj'],
    // At `sk-proj-` and friends, or 23 characters before the legacy key's `T3BlbkFJ` (`sk-` + 20).
    matchStart: [-23, 0],
    pattern:
      /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'OPENAI_API_KEY=sk-proj-_FgujJUFC8hR--S3v_A3Cwj7zPC7JrjmgQwU2yyECUNH69Z4Nrzo-sBPoyITuD73T3BlbkFJPEPnwSfLdHObaDQKW4aPPWjv7V5kl7UO3bTRTV9QK0JpYmrFZLIR4L3NdNP7ZJUO',
      'client = OpenAI(api_key="sk-svcacct-hvVVTz0ogbXUX_RDMIKYKUz2GfjnpdMY7UOqO1xHz5UyCsEmlrvRFtzWfSgyZiPZT3BlbkFJjLvDaFPvJgwYz-hvTGRSK2GwP250Na32Rhvr9RXNpnvKYE9L7PasRcJYs4_FQG_T")',
      'admin: sk-admin-I3VQjCH8nAe6h7yAESehTiBMtwtjL1-18PdcqjRZ0W9KDWFnmkUJO4BlCI2WIgijT3BlbkFJTuCAUXY08k7VhtCeNUJybTw09BAUnvYQImKlsAUrD7mMhOSnnZl6zHtGmiaU4Ym5',
      'legacy 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 in an old script',
    ],
    falsePositives: [
      'use sk-proj-... from the dashboard',
      'ref sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'ref sk-cRDAiHNHrUj3Fzyip3mHT3BlbkFINk80mVMdGdlmbd2A9Odp', // marker misspelt
      'ref sk-cRDAiHNHrUj3Fzyip3mHT3BlbkFJNk80mVMdGdlmbd2A9Od', // one character short
      'css class sk-proj-header-title-wrapper',
    ],
  },
];
