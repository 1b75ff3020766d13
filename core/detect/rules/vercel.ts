import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Vercel tokens: personal (`vcp_`), integration (`vci_`), app access (`vca_`) and refresh (`vcr_`) tokens and
 * AI Gateway keys (`vck_`); older access tokens are 24 alphanumerics next to a Vercel key name.
 */
export const vercelRules: readonly Rule[] = [
  {
    id: 'vercel-token',
    category: 'secret',
    description:
      'Vercel personal, integration, app access or refresh token, or AI Gateway key (vcp_/vci_/vca_/vcr_/vck_).',
    keywords: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])vc[pikar]_[A-Za-z0-9]{20,60}(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'VERCEL_TOKEN=vcp_Q0HtVSEcJd2c6V6SGitftsS1mTNXmfZsC0CgD2Kj',
      'AI_GATEWAY_API_KEY=vck_e4lgnnIKT2amTClk50wyIDpg7eYf3HwT6phV7TzbJw0E0SfA',
      'refresh_token: vcr_sos6W7i73HYmttci9gYfJsPScm4XYBzXxV0mAMRC',
    ],
    falsePositives: [
      'ref vcp_p5WjNquQQNmx',
      'ref vcx_xk4WvQHUCH14ffVsub2cXJsICfZnSJS5tcLa14bp',
      'ref vcp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  {
    id: 'vercel-access-token',
    category: 'secret',
    description: 'Vercel access token, older format: 24 alphanumerics assigned to a key named for Vercel.',
    keywords: ['vercel'],
    matchStart: [0, 0],
    pattern: assignedAfterName('vercel', '[A-Za-z0-9]{24}'),
    secretGroup: 1,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['VERCEL_TOKEN=G2aGB8MnJVvVmQYnMAyroXwq', 'vercel token: ojDtxsao3LWD5U0t6QT8yowc'],
    falsePositives: ['VERCEL_ORG_ID=team_5iYyE1XYb41MLCVPUXOcaFJr', 'VERCEL_ENV=production'],
  },
];
