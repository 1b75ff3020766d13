/** Writes docs/config.schema.json and docs/policy.schema.json from the zod schemas (`npm run schema`). */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../core/config/index.js';
import { policyJsonSchema } from '../core/policy/index.js';

writeFileSync(
  new URL('../docs/config.schema.json', import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
writeFileSync(
  new URL('../docs/policy.schema.json', import.meta.url),
  `${JSON.stringify(policyJsonSchema(), null, 2)}\n`,
);
