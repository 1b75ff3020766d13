import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from '../../core/policy/index.js';

describe('policy JSON Schema', () => {
  it('publishes a JSON Schema that matches the zod schema (run `npm run schema` after changing it)', () => {
    const published = JSON.parse(
      readFileSync(new URL('../../docs/policy.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(published).toEqual(policyJsonSchema());
  });
});
