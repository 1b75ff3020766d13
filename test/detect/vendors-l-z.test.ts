import { describe, expect, it } from 'vitest';
import { createDetector, type Rule } from '../../core/detect/index.js';
import { vendorRulesLtoZ } from '../../core/detect/rules/vendors-l-z.js';

/** The value a rule redacts in its first true positive (its secretGroup, or the whole match). */
function firstValue(rule: Rule): string {
  const text = rule.truePositives[0] as string;
  const m = new RegExp(rule.pattern.source, rule.pattern.flags).exec(text);
  if (m === null) throw new Error(`${rule.id}: first true positive does not match`);
  return rule.secretGroup === undefined ? m[0] : (m[rule.secretGroup] as string);
}

/**
 * Context-only rules (gitleaks' semi-generic shape): the vendor's key name, at most 20 key characters, an
 * assignment, then the value, which is a secret only there.
 */
const ASSIGNMENT = String.raw`[\w .-]{0,20}[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)`;
const contextRules = vendorRulesLtoZ.filter((r) => r.pattern.source.includes(ASSIGNMENT));
/** Rules whose match is the credential itself, prefix and all. */
const prefixRules = vendorRulesLtoZ.filter((r) => r.secretGroup === undefined && r.startGroup === undefined);

describe('vendor rules l–z', () => {
  it('include both prefixed and context-only rules', () => {
    expect(prefixRules.length).toBeGreaterThan(30);
    expect(contextRules.length).toBeGreaterThan(30);
  });

  describe.each(contextRules.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    const detector = createDetector({ rules: [rule] });
    const value = firstValue(rule);

    it('leaves the bare value alone when no vendor key name is near it', () => {
      expect(detector.scan(`the build printed ${value} and stopped`)).toEqual([]);
    });

    it('leaves the value alone when the key name is more than a short gap before the assignment', () => {
      const key = rule.keywords[0] as string;
      expect(detector.scan(`${key} ${'x'.repeat(40)} = ${value}`)).toEqual([]);
    });

    it('redacts exactly the value, not the key name, in a YAML line', () => {
      const key = rule.keywords[0] as string;
      const text = `${key}_token: ${value}`;
      const findings = detector.scan(text);
      expect(findings.map((f) => text.slice(f.start, f.end))).toEqual([value]);
    });
  });

  describe.each(prefixRules.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    const detector = createDetector({ rules: [rule] });
    const value = firstValue(rule);

    it('finds the credential in prose, in quotes and at the end of the text', () => {
      for (const text of [`I pasted ${value} by mistake`, `key="${value}"`, `see: ${value}`]) {
        const findings = detector.scan(text);
        expect(
          findings.map((f) => text.slice(f.start, f.end)),
          text,
        ).toEqual([value]);
      }
    });
  });
});
