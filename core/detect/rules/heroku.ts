import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Heroku: new API keys start `HRKU-AA`; older ones are UUIDs, found next to a heroku name. */
export const herokuRules: readonly Rule[] = [
  prefixedToken({
    id: 'heroku-api-key-v2',
    description: 'Heroku API key (HRKU-AA + 58 characters).',
    keywords: ['hrku-aa'],
    body: 'HRKU-AA[A-Za-z0-9_-]{58}',
    minEntropy: 3,
    truePositives: [
      'HEROKU_API_KEY=HRKU-AAqB5yXAb8KakCaJzlcSjuMVcf_aewzPIv2kB60GAp_vI_RG0dR_bLC4YFFk',
      'const KEY = "HRKU-AAqB5yXAb8KakCaJzlcSjuMVcf_aewzPIv2kB60GAp_vI_RG0dR_bLC4YFFk";',
    ],
    falsePositives: [
      'ref HRKU-AAqB5yXAb8KakCaJzlcSjuMVcf_aewzPIv2kB60GAp_vI_RG0dR_bLC4YFF', // 57 characters
      'ref HRKU-ABqB5yXAb8KakCaJzlcSjuMVcf_aewzPIv2kB60GAp_vI_RG0dR_bLC4YFFk',
    ],
  }),
  keyedSecret({
    id: 'heroku-api-key',
    description: 'Heroku API key (a UUID) assigned to a heroku key name.',
    names: ['heroku'],
    value: UUID,
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'HEROKU_API_KEY=aa63ece9-8407-cab3-cd98-3929fad86167',
      'const HEROKU_KEY = "AA63ECE9-8407-CAB3-CD98-3929FAD86167"',
    ],
    falsePositives: ['heroku: aa63ece9-8407-cab3-cd98-3929fad8616', 'HEROKU_APP=acme-staging'],
  }),
];
