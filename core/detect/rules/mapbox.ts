import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Mapbox access tokens: `pk.`/`sk.`/`tk.` + a base64 JSON header (`eyJ1Ijoi`, {"u":") + `.` + signature. Secret
 * (`sk.`) and temporary (`tk.`) tokens are found anywhere; public `pk.` tokens only next to a Mapbox key name.
 */
export const mapboxRules: readonly Rule[] = [
  {
    id: 'mapbox-secret-token',
    category: 'secret',
    description: 'Mapbox secret or temporary access token (sk.eyJ1… / tk.eyJ1…).',
    keywords: ['sk.eyj1ijoi', 'tk.eyj1ijoi'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_.-])[st]k\.eyJ1Ijoi[A-Za-z0-9_-]{10,300}\.[A-Za-z0-9_-]{20,40}(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MAPBOX_DOWNLOADS_TOKEN=sk.eyJ1IjoiZ2VvLXRlYW0iLCJhIjoiDYq3kalZr0YRONCZO1jeK_9sWIn0.2ya7gn-cwvmcvxHAbrryXq',
      'curl "https://api.mapbox.com/tokens/v2?access_token=tk.eyJ1IjoibWFwcGVyIiwiYSI6IjARzamO_MgHxHdb0mheCDN5JqskURhe.Mnv-PvzmlvTad37M3ffP__"',
    ],
    falsePositives: [
      'ref sk.eyJ1IjoiZ2VvLXRlYW0i', // header only
      'ref sk.eyJ1IjoiZ2VvLXRlYW0iLCJhIjoieH_u_RnuUymHCSE0_J9DjjKfTIn0.FQz4dClk', // signature too short
    ],
  },
  {
    id: 'mapbox-api-token',
    category: 'secret',
    description: 'Mapbox public access token (pk.) assigned to a key named for Mapbox.',
    keywords: ['mapbox'],
    matchStart: [0, 0],
    pattern: assignedAfterName(
      'mapbox',
      String.raw`pk\.(?:[a-z0-9]{60}\.[a-z0-9]{22}|eyJ[A-Za-z0-9_-]{10,300}\.[A-Za-z0-9_-]{20,40})`,
    ),
    secretGroup: 1,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'MAPBOX_ACCESS_TOKEN=pk.eyJ1IjoibWFwcGVyIiwiYSI6IjRyPMLBKnmI4ejc5F4rcz9r6FrXNLyeIn0.vXOyzY1Jm1dVSh8HkoqS3L',
      'mapboxgl.accessToken = "pk.qgjgepg15dkku9lu0d2wdell9kkp8ad268fsmj985gw6lr5j42ysu2p6pwse.a2wcv8kj15fljo0c2pc17k";',
    ],
    falsePositives: [
      'MAPBOX_REF=pk.jf9w8qgftvoebqow38kevrzb5l9py1',
      'MAPBOX_ACCESS_TOKEN=<your-public-token>',
    ],
  },
];
