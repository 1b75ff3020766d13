import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, detectorOptionsFromConfig, parseConfig } from '../../core/config/index.js';
import { createDetector, redact } from '../../core/detect/index.js';

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

  describe('organisation detectors', () => {
    const options = (detect: unknown) => detectorOptionsFromConfig(parseConfig({ detect }), '/nonexistent');

    it('builds patterns and allowlists that the detector applies', async () => {
      const detector = createDetector(
        await options({
          patterns: [
            {
              id: 'ticket',
              pattern: 'OPS-[0-9]{4,6}',
              keywords: ['ops-'],
              examples: { match: ['see OPS-4821'], noMatch: ['OPS-12'] },
            },
          ],
          allowlist: [{ rules: ['ticket'], values: ['OPS-0000'] }],
        }),
      );
      const text = 'OPS-0000 and OPS-4821';
      expect(redact(text, detector.scan(text))).toBe('OPS-0000 and [REDACTED:ticket]');
    });

    it('rejects a pattern RE2 cannot run, naming the pattern and why', async () => {
      await expect(options({ patterns: [{ id: 'look', pattern: '(?<=id=)\\d+' }] })).rejects.toThrow(
        expect.objectContaining({
          code: 'LG_CONFIG_INVALID',
          message: expect.stringMatching(/patterns\[0\] "look".*lookarounds/),
        }),
      );
    });

    it('rejects a pattern whose own examples fail, saying which one', async () => {
      await expect(
        options({ patterns: [{ id: 'ticket', pattern: 'OPS-[0-9]{4}', examples: { match: ['OPS-12'] } }] }),
      ).rejects.toThrow(/examples\.match\[0\].*finds nothing/);
      await expect(
        options({
          patterns: [{ id: 'ticket', pattern: 'OPS-[0-9]{2,}', examples: { noMatch: ['OPS-12'] } }],
        }),
      ).rejects.toThrow(/examples\.noMatch\[0\].*matches this near miss/);
    });

    it('rejects allowlists and actions that name a rule that does not exist', async () => {
      await expect(options({ allowlist: [{ rules: ['aws-acess-key-id'], values: ['x'] }] })).rejects.toThrow(
        /allowlist\[0\]\.rules.*"aws-acess-key-id"/,
      );
      await expect(options({ actions: { rules: { 'no-such-rule': 'block' } } })).rejects.toThrow(
        /no-such-rule/,
      );
    });

    it('turns a rule that is off by default on through actions', async () => {
      const off = createDetector(await options({}));
      const on = createDetector(await options({ actions: { rules: { 'ip-address-private': 'redact' } } }));
      expect(off.scan('db at 10.20.30.40')).toEqual([]);
      expect(on.scan('db at 10.20.30.40').map((f) => f.rule)).toEqual(['ip-address-private']);
    });
  });
});
