import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** HubSpot: private app tokens `pat-<region>-<uuid>`; legacy API keys are UUIDs next to a hubspot name. */
export const hubspotRules: readonly Rule[] = [
  prefixedToken({
    id: 'hubspot-private-app-token',
    description: 'HubSpot private app access token (pat-na1- / pat-eu1- + UUID).',
    keywords: ['pat-'],
    body: `pat-(?:na|eu|ap)[0-9]-${UUID}`,
    minEntropy: 3,
    truePositives: [
      'HUBSPOT_ACCESS_TOKEN=pat-na1-aa63ece9-8407-cab3-cd98-3929fad86167',
      'Authorization: Bearer pat-eu1-aa63ece9-8407-cab3-cd98-3929fad86167',
    ],
    falsePositives: [
      'ref pat-na1-aa63ece9-8407-cab3-cd98-3929fad8616',
      'ref pat-us1-aa63ece9-8407-cab3-cd98-3929fad86167',
    ],
  }),
  keyedSecret({
    id: 'hubspot-api-key',
    description: 'HubSpot legacy API key (a UUID) assigned to a hubspot key name.',
    names: ['hubspot'],
    value: UUID,
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'HUBSPOT_API_KEY=aa63ece9-8407-cab3-cd98-3929fad86167',
      'const hubspotKey = "AA63ECE9-8407-CAB3-CD98-3929FAD86167"',
    ],
    falsePositives: ['hubspot: aa63ece9-8407-cab3-cd98-3929fad8616', 'HUBSPOT_PORTAL_ID=4417230'],
  }),
];
