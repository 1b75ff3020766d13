/** Issue 4's config: the embedded default pseudonymizes PII, and each category and rule can say otherwise. */
import { describe, expect, it } from 'vitest';
import { detectorOptionsFromConfig, parseConfig } from '../../core/config/index.js';

describe('detect actions and pseudonyms in config', () => {
  it('defaults to secrets redact, PII pseudonymize, custom redact, tool arguments restored', async () => {
    const config = parseConfig({});
    // Unset in config (so an explicit setting can be told from the default), applied by the detector options.
    expect(config.detect.actions.categories).toEqual({});
    expect((await detectorOptionsFromConfig(config, '/nonexistent')).categoryActions).toEqual({
      secret: 'redact',
      pii: 'pseudonymize',
      custom: 'redact',
    });
    expect(config.detect.pseudonyms).toEqual({
      restoreToolArguments: true,
      idleMinutes: 240,
      maxEntries: 100_000,
    });
  });

  it('keeps the defaults of the categories an admin leaves out', async () => {
    const config = parseConfig({
      detect: { actions: { categories: { pii: 'redact' }, rules: { iban: 'block' } } },
    });
    const options = await detectorOptionsFromConfig(config, '/nonexistent');
    expect(options.categoryActions).toEqual({ secret: 'redact', pii: 'redact', custom: 'redact' });
    expect(options.ruleActions).toEqual({ iban: 'block' });
  });

  it.each([
    [{ detect: { actions: { categories: { pii: 'pseudonymise' } } } }, /pii/],
    [{ detect: { actions: { rules: { email: 'mask' } } } }, /email/],
    [{ detect: { pseudonyms: { idleMinutes: 0 } } }, /idleMinutes/],
    [{ detect: { pseudonyms: { keyFile: 'x' } } }, /keyFile|pseudonyms/],
  ])('rejects %j', (input, message) => {
    expect(() => parseConfig(input)).toThrow(message);
  });
});
