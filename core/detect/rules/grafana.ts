import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Grafana: legacy API keys (base64 JSON `{"k":"…`), Grafana Cloud tokens (`glc_`), service account tokens (`glsa_`). */
export const grafanaRules: readonly Rule[] = [
  prefixedToken({
    id: 'grafana-api-key',
    description: 'Grafana API key (base64 of {"k":..., eyJrIjoi + 70 or more characters).',
    keywords: ['eyjrijoi'],
    body: 'eyJrIjoi[A-Za-z0-9]{70,400}={0,3}',
    boundary: 'A-Za-z0-9+/_-',
    after: 'A-Za-z0-9+/=',
    minEntropy: 3,
    truePositives: [
      'GRAFANA_API_KEY=eyJrIjoiBF3hVjc5Lbb7FP1i4GkUgx1bAkQXTvCsL5MGfksREPSOcVVJb5qy9ki1ZgVUbyLL2jt6WCJH',
    ],
    falsePositives: ['ref eyJrIjoiBF3hVjc5Lbb7FP1i4GkUgx1bAkQXTvCsL5MGfksREPSOc'],
  }),
  prefixedToken({
    id: 'grafana-cloud-api-token',
    description: 'Grafana Cloud access policy or API token (glc_ + 32 or more base64 characters).',
    keywords: ['glc_'],
    body: 'glc_[A-Za-z0-9+/]{32,400}={0,3}',
    boundary: 'A-Za-z0-9_-',
    after: 'A-Za-z0-9+/=',
    minEntropy: 3,
    truePositives: [
      'loki_key: glc_eyJvIjoiNzQ0NTg3IiwibiI6ImFjbWUtbG9ncy13cml0ZXIiLCJrIjoiZzB0Y09JWnFDRFBlTUNSUCJ9fQ==',
      'GRAFANA_CLOUD_TOKEN=glc_dDxI3HWvUwygRd6ZE36EF8vNuNJ2PQ5r/IovYjPRwGNMAwE',
    ],
    falsePositives: [
      'ref glc_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'static void GLC_CreateLightmapTextureArray(void);',
      'ref glc_dDxI3HWvUwygRd6ZE36EF8vNuNJ2', // 28 characters
    ],
  }),
  prefixedToken({
    id: 'grafana-service-account-token',
    description: 'Grafana service account token (glsa_ + 32 + _ + 8 hex).',
    keywords: ['glsa_'],
    body: 'glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}',
    minEntropy: 3,
    truePositives: [
      'GRAFANA_TOKEN=glsa_g0tcOIZqCDPeMCRPTVMMBlrU8PPOBAE2_860a383a',
      "'Authorization': 'Bearer glsa_g0tcOIZqCDPeMCRPTVMMBlrU8PPOBAE2_860a383a'",
    ],
    falsePositives: [
      'ref glsa_g0tcOIZqCDPeMCRPTVMMBlrU8PPOBAE2_860a383', // 7 hex
      'ref glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA',
    ],
  }),
];
