import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Square access tokens (`EAAA…` or legacy `sq0atp-`) and OAuth application secrets (`sq0csp-` + 43). */
export const squareRules: readonly Rule[] = [
  {
    id: 'square-access-token',
    category: 'secret',
    description: 'Square access token (EAAA… or sq0atp- + 22–60 characters).',
    keywords: ['eaaa', 'sq0atp-'],
    matchStart: [0, 0],
    // `+`, `/` and `=` count as token characters too: `EAAA` is common inside base64 blobs.
    pattern: /(?<![A-Za-z0-9_+/-])(?:EAAA|sq0atp-)[A-Za-z0-9_-]{22,60}(?![A-Za-z0-9_+/=-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SQUARE_ACCESS_TOKEN=EAAAx7YCDTRgWkbgfq3WaMuGn-0LiugwnSW7ipUyUmkpYPVG4w244PNl9ObOIudv',
      'square.access_token = "sq0atp-mv7vppOZR9O2xt0A6ni-6S"',
    ],
    falsePositives: [
      'blob AAAB/EAAArY0oh5udoJdbZ4EabFUeELmN5J2p40WQ81FoNK79+AAAB/wz==',
      'ref EAAAdmIqAdcL2u',
      'ref sq0atp-xxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  {
    id: 'square-oauth-secret',
    category: 'secret',
    description: 'Square OAuth application secret (sq0csp- + 43 characters).',
    keywords: ['sq0csp-'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])sq0csp-[A-Za-z0-9_\\-]{43}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SQUARE_APP_SECRET=sq0csp-wRlFQJ__gnLjGLmxbcPmgH7LwdPrnlNQRmYbDyh83vB',
      "client_secret: 'sq0csp-yVzOv9dF2HC8em3M_atDXl08DPFCU-6tIf10cniwbnh'",
    ],
    falsePositives: [
      'ref sq0csp-V-CLxg1F4tEY57ztOdXw',
      'ref sq0csp-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
];
