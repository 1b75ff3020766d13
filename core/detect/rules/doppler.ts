import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Doppler tokens: `dp.pt.` personal, `dp.ct.` CLI, `dp.sa.` service account, `dp.scim.`, `dp.audit.`, `dp.st.` service. */
export const dopplerRules: readonly Rule[] = [
  prefixedToken({
    id: 'doppler-api-token',
    description:
      'Doppler personal, CLI, service-account, SCIM, audit or service token (dp.xx. + 40-44 characters).',
    keywords: ['dp.pt.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.', 'dp.st.'],
    body: 'dp\\.(?:(?:pt|ct|sa|scim|audit)\\.|st\\.[a-z0-9_-]{0,35}\\.?)[A-Za-z0-9]{40,44}',
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 3,
    truePositives: [
      'DOPPLER_TOKEN=dp.pt.jb54sklt846osm3p9fs0bzx1wgen4lg5cam8yxzefaa',
      'DOPPLER_TOKEN="dp.st.prd.jb54sklt846osm3p9fs0bzx1wgen4lg5cam8yxzefaa"',
    ],
    falsePositives: [
      'ref dp.pt.jb54sklt846osm3p9fs0bzx1wgen4lg5cam', // 37 characters
      'ref dp.pt.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'ref dp.px.jb54sklt846osm3p9fs0bzx1wgen4lg5cam8yxzefaa',
    ],
  }),
];
