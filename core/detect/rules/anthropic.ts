import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Anthropic keys: `sk-ant-api03-` (API) and `sk-ant-admin01-` (Admin API), a long base64url body ending in `AA`. */
export const anthropicRules: readonly Rule[] = [
  {
    id: 'anthropic-api-key',
    category: 'secret',
    description: 'Anthropic API key (sk-ant-apiNN-...).',
    keywords: ['sk-ant-api'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])sk-ant-api\d{2}-[A-Za-z0-9_-]{80,200}AA(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'ANTHROPIC_API_KEY=sk-ant-api03-vc3xY7sKjh21A8te7FbpyxeR5Y0PNQLL3i3HhfFFMGxD9AHRILY1ZCkqdB4QjGA5hB_d5wanUS-JITYpsz_APYXOSAz_2AA',
      'headers = {"x-api-key": "sk-ant-api03-vc3xY7sKjh21A8te7FbpyxeR5Y0PNQLL3i3HhfFFMGxD9AHRILY1ZCkqdB4QjGA5hB_d5wanUS-JITYpsz_APYXOSAz_2AA"}',
    ],
    falsePositives: [
      'ref sk-ant-api03-...',
      'ref sk-ant-api03-vc3xY7sKjh21A8te7FbpyxeR5Y0PNQLL3i3HhfFFMGxD9AHRILY1ZCkqdB4QjGA5hB_d5wanUS-JITYpsz_APYXOSAz_2BB', // wrong ending
      'ref sk-ant-api03-vc3xY7sKjh21A8te7FbpyxeR5Y0PNQLL3i3HhfFFMGxD9AHRILY1ZCkqdB4QjGA5hB', // too short
      'ref sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  {
    id: 'anthropic-admin-key',
    category: 'secret',
    description: 'Anthropic Admin API key (sk-ant-adminNN-...).',
    keywords: ['sk-ant-admin'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])sk-ant-admin\d{2}-[A-Za-z0-9_-]{80,200}AA(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'ANTHROPIC_ADMIN_KEY=sk-ant-admin01-1MVWiEQnncKWktNIvA7Rkt_jhCwS6_2OILRgYDO7F0OLsyBiFjyZ7-rnmWN2L9Z8X30S-u0TQMPtepF5YJdzdCGxaozDGAA',
    ],
    falsePositives: ['ref sk-ant-admin01-<admin-key>', 'ref sk-ant-admin01-1MVWiEQnncKWktNIvA7Rkt_jhCwS6'],
  },
  {
    id: 'claude-code-oauth-token',
    category: 'secret',
    description: 'Anthropic Claude Code OAuth token (sk-ant-oat01- + 95 characters).',
    keywords: ['sk-ant-oat'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_-])sk-ant-oat\d{2}-[A-Za-z0-9_-]{95}(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-50LQwb0Xcf-pPugQnHC3Dupknq_sPHCSTs4yR5g2GdfjspRp-hOHeGX2lNEZwboD29uR_uwa9HI6rblnBp_4rV7HcqQ-qjt',
    ],
    falsePositives: [
      'ref sk-ant-oat01-50LQwb0Xcf-pPugQnHC3Dupknq_sPHCSTs4yR5g2GdfjspRp-hOHeGX2lNEZwboD29uR_uwa9HI6rblnBp_4rV7HcqQ', // 91 characters
      'ref sk-ant-oat01-<oauth-token>',
    ],
  },
  {
    id: 'claude-code-session-url',
    category: 'secret',
    description:
      'Claude Code session URL (https://claude.ai/code/session_ + 16 or more characters): remote control of a session.',
    keywords: ['claude.ai/code/session_'],
    // `https://` or `http://` comes before the keyword.
    matchStart: [-8, -7],
    pattern: /\bhttps?:\/\/claude\.ai\/code\/session_[A-Za-z0-9]{16,128}(?![A-Za-z0-9])/i,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'pick it up at https://claude.ai/code/session_01GrLf2bHq8TzN4mVxK7cPwYs3',
      'session = "http://claude.ai/code/session_01GrLf2bHq8TzN4mVxK7cPwYs3"',
    ],
    falsePositives: [
      'https://claude.ai/code/session_short',
      'https://claude.ai/chat/session_01GrLf2bHq8TzN4mVxK7cPwYs3',
      'https://claude.ai/code/01GrLf2bHq8TzN4mVxK7cPwYs3',
    ],
  },
];
