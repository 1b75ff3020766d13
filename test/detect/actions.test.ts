/** Issue 4: `pseudonymize` is an action like the others, per category and per rule. */
import { describe, expect, it } from 'vitest';
import { createDetector, redact, type DetectorOptions, type Rule } from '../../core/detect/index.js';
import { AWS_KEY, EMAIL } from '../support/secrets.js';

const TEXT = `key ${AWS_KEY} mail ${EMAIL}`;

describe('pseudonymize action', () => {
  it.each<[string, DetectorOptions, Record<string, string>]>([
    ['nothing configured: everything redact', {}, { 'aws-access-key-id': 'redact', email: 'redact' }],
    [
      'PII pseudonymized by category',
      { categoryActions: { pii: 'pseudonymize' } },
      { 'aws-access-key-id': 'redact', email: 'pseudonymize' },
    ],
    [
      'a rule action overrides its category',
      { categoryActions: { pii: 'pseudonymize' }, ruleActions: { email: 'redact' } },
      { 'aws-access-key-id': 'redact', email: 'redact' },
    ],
    [
      'a secret pseudonymized by rule',
      { ruleActions: { 'aws-access-key-id': 'pseudonymize' } },
      { 'aws-access-key-id': 'pseudonymize', email: 'redact' },
    ],
    ['allow still hides nothing', { categoryActions: { pii: 'allow' } }, { 'aws-access-key-id': 'redact' }],
  ])('%s', (_title, options, expected) => {
    const findings = createDetector(options).scan(TEXT);
    expect(Object.fromEntries(findings.map((f) => [f.rule, f.action]))).toEqual(expected);
  });

  it("keeps a rule's own default action over its category's pseudonymize, as the engine does", () => {
    const rule = (id: string, defaultAction?: Rule['defaultAction']): Rule => ({
      id,
      category: 'pii',
      description: 'test',
      keywords: [`${id}:`],
      pattern: new RegExp(`${id}:\\d{4}`),
      truePositives: [`${id}:1234`],
      falsePositives: [],
      ...(defaultAction === undefined ? {} : { defaultAction }),
    });
    const detector = createDetector({
      rules: [rule('plain'), rule('strict', 'redact')],
      categoryActions: { pii: 'pseudonymize' },
    });
    expect(detector.scan('plain:1234 strict:5678').map((f) => [f.rule, f.action])).toEqual([
      ['plain', 'pseudonymize'],
      ['strict', 'redact'],
    ]);
  });

  it('redacts instead a value its rule finds only with the words around it, since a restored copy may lose them', () => {
    const detector = createDetector({ categoryActions: { pii: 'pseudonymize' } });
    const text = `passport number 531804927, driver's license: D4729105, mail ${EMAIL}`;
    expect(detector.scan(text).map((f) => [f.rule, f.action])).toEqual([
      ['us-passport', 'redact'],
      ['us-driver-license', 'redact'],
      ['email', 'pseudonymize'],
    ]);
  });

  it('finds exactly what redact finds, at the same offsets', () => {
    const plain = createDetector().scan(TEXT);
    const pseudo = createDetector({ categoryActions: { pii: 'pseudonymize', secret: 'pseudonymize' } }).scan(
      TEXT,
    );
    expect(pseudo.map(({ action: _a, ...f }) => f)).toEqual(plain.map(({ action: _a, ...f }) => f));
  });

  it('redacts with placeholders when no replacement is given, and with the replacement otherwise', () => {
    const findings = createDetector({ categoryActions: { pii: 'pseudonymize' } }).scan(TEXT);
    expect(redact(TEXT, findings)).toBe('key [REDACTED:aws-access-key-id] mail [REDACTED:email]');
    expect(
      redact(TEXT, findings, (f, value) => (f.action === 'pseudonymize' ? `<${value.length}>` : '#')),
    ).toBe(`key # mail <${EMAIL.length}>`);
  });
});
