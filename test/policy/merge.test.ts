import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/index.js';
import { mergeDetect } from '../../core/policy/index.js';

const detect = (value: unknown) => parseConfig({ detect: value }).detect;
const categoryOf = (id: string) =>
  id === 'aws-access-key-id' ? 'secret' : id === 'email' ? 'pii' : undefined;

describe('local settings against the org policy', () => {
  const org = detect({
    actions: { categories: { secret: 'block' }, rules: { email: 'allow' } },
    patterns: [{ id: 'ticket', pattern: 'SUP-[0-9]{5}' }],
  });

  it('refuses local settings that loosen the org policy, and keeps the org value', () => {
    const local = detect({
      actions: { categories: { secret: 'redact' }, rules: { 'aws-access-key-id': 'allow' } },
      allowlist: [{ values: ['AKIAEXAMPLE'] }],
      patterns: [{ id: 'ticket', pattern: 'x' }],
    });
    const merged = mergeDetect(org, local, 'org', categoryOf);
    expect(merged.refused.map((r) => r.key)).toEqual([
      'detect.patterns[0]',
      'detect.allowlist[0]',
      'detect.actions.categories.secret',
      'detect.actions.rules.aws-access-key-id',
    ]);
    expect(merged.refused[2]!.reason).toBe(
      `local "redact" is looser than the org policy's "block"; the org's value applies`,
    );
    expect(merged.detect.actions.categories.secret).toBe('block');
    expect(merged.detect.actions.rules['aws-access-key-id']).toBeUndefined();
    expect(merged.detect.allowlist).toEqual([]);
    expect(merged.detect.patterns.map((p) => p.pattern)).toEqual(['SUP-[0-9]{5}']);
  });

  it('orders pseudonymize between allow and redact, against the embedded default when the org is silent', () => {
    const silent = detect({});
    // PII defaults to pseudonymize: local redact tightens it, local allow loosens it.
    expect(
      mergeDetect(silent, detect({ actions: { categories: { pii: 'redact' } } }), 'org').refused,
    ).toEqual([]);
    const loosened = mergeDetect(silent, detect({ actions: { categories: { pii: 'allow' } } }), 'org');
    expect(loosened.refused.map((r) => r.reason)).toEqual([
      `local "allow" is looser than the org policy's "pseudonymize"; the org's value applies`,
    ]);
    // Secrets default to redact: pseudonymizing them locally would let them come back in answers.
    const secrets = mergeDetect(
      silent,
      detect({ actions: { categories: { secret: 'pseudonymize' } } }),
      'org',
    );
    expect(secrets.refused.map((r) => r.key)).toEqual(['detect.actions.categories.secret']);
    // Pseudonym settings: local may only tighten them.
    const tools = mergeDetect(
      detect({ pseudonyms: { idleMinutes: 60 } }),
      detect({ pseudonyms: { restoreToolArguments: false, idleMinutes: 600 } }),
      'org',
    );
    expect(tools.detect.pseudonyms).toMatchObject({ restoreToolArguments: false, idleMinutes: 60 });
  });

  it('applies local settings that tighten the org policy', () => {
    const local = detect({
      actions: { categories: { pii: 'block' }, rules: { email: 'redact' } },
      dictionaries: [{ id: 'code-names', terms: ['Falcon'] }],
    });
    const merged = mergeDetect(org, local, 'org', categoryOf);
    expect(merged.refused).toEqual([]);
    expect(merged.detect.actions.categories).toEqual({ secret: 'block', pii: 'block' });
    expect(merged.detect.actions.rules.email).toBe('redact');
    expect(merged.detect.dictionaries.map((d) => d.id)).toEqual(['code-names']);
  });

  it('refuses a local allow even where the org policy says nothing (the default redact applies)', () => {
    const merged = mergeDetect(undefined, detect({ actions: { categories: { pii: 'allow' } } }), 'org');
    expect(merged.refused.map((r) => r.key)).toEqual(['detect.actions.categories.pii']);
    expect(merged.detect.actions.categories.pii).toBeUndefined();
  });

  it('keeps local settings as they are without an org policy', () => {
    const local = detect({ actions: { categories: { pii: 'allow' } }, allowlist: [{ values: ['x'] }] });
    expect(mergeDetect(undefined, local, 'local')).toEqual({ detect: local, refused: [] });
  });
});
