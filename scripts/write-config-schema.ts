/** Writes docs/config.schema.json from the zod config schema (`npm run schema`). */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../core/config/index.js';

writeFileSync(
  new URL('../docs/config.schema.json', import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
