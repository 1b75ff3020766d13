import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, parseConfig } from '../../core/config/index.js';

describe('config', () => {
  it('uses the embedded default when the file is empty', () => {
    const config = parseConfig({});
    expect(config.proxy.port).toBe(8471);
    expect(config.upstreams).toEqual({});
  });

  it('rejects unknown keys with the key path in the message', () => {
    expect(() => parseConfig({ proxy: { prot: 1 } })).toThrow(/proxy/);
    expect(() => parseConfig({ nope: true })).toThrow(expect.objectContaining({ code: 'LG_CONFIG_INVALID' }));
  });

  it('rejects an upstream that is not an origin', () => {
    expect(() => parseConfig({ upstreams: { 'api.openai.com': 'https://gw.example/v1' } })).toThrow(
      /upstreams/,
    );
    expect(parseConfig({ upstreams: { 'api.openai.com': 'https://gw.example:8443' } }).upstreams).toEqual({
      'api.openai.com': 'https://gw.example:8443',
    });
  });

  it('publishes a JSON Schema that matches the zod schema (run `npm run schema` after changing it)', () => {
    const published = JSON.parse(
      readFileSync(new URL('../../docs/config.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(published).toEqual(configJsonSchema());
  });
});
