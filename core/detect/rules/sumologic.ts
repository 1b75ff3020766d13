import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * Sumo Logic access keys: the access id (`su` + 12) and the access key (64 alphanumerics), next to a key named
 * Sumo, sumo or SUMO (not `sumo` inside other words such as `consumo`).
 */
export const sumologicRules: readonly Rule[] = [
  {
    id: 'sumologic-access-id',
    category: 'secret',
    description: 'Sumo Logic access id (su + 12 alphanumerics) assigned to a key named for Sumo Logic.',
    keywords: ['sumo'],
    matchStart: [0, 0],
    pattern: assignedAfterName('(?:(?<![a-z])sumo|Sumo|SUMO)', 'su[A-Za-z0-9]{12}', {
      flags: '',
    }),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: ['SUMO_ACCESS_ID=su9yHGhdN0BD7e', 'sumologic.accessId = "suudq3lJiDtVjh"'],
    falsePositives: [
      'SUMO_ACCESS_ID=suweoBB6',
      'SUMO_ACCESS_ID=suuuuuuuuuuuuu',
      'consumo_id = suVPGLQ7EY9CEv',
    ],
  },
  {
    id: 'sumologic-access-token',
    category: 'secret',
    description: 'Sumo Logic access key (64 alphanumerics) assigned to a key named for Sumo Logic.',
    keywords: ['sumo'],
    matchStart: [0, 0],
    pattern: assignedAfterName('(?:(?<![a-z])sumo|Sumo|SUMO)', '[A-Za-z0-9]{64}', {
      flags: '',
    }),
    secretGroup: 1,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SUMO_ACCESS_KEY=tQfCryCEngtGYvzHTj35WcXUNebrkyEa8pBOEaGwgVZCHez84Zwj0FHH7q5vTDj3',
      'sumo_key: "V5EAAPtmdxuXKTkf2wpud7meCdiqocMeBf2hPvWpEF47ByoPjHqJDxX9YjagDZOW"',
    ],
    falsePositives: [
      'SUMO_ENDPOINT=https://api.sumologic.com/api/',
      'SUMO_REF=abFXjNkRlCSDTGrOmjSBbCBOcIQeCdtiCDVvtFMp',
    ],
  },
];
