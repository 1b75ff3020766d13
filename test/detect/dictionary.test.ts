import { describe, expect, it } from 'vitest';
import { createDetector, redact, type Dictionary } from '../../core/detect/index.js';

const codeNames: Dictionary = {
  id: 'project-names',
  description: 'Internal project code names',
  terms: ['Project Falcon', 'falcon', 'Nightjar', 'db.internal.example'],
};

function found(text: string, dictionaries: Dictionary[] = [codeNames], options = {}) {
  const findings = createDetector({ rules: [], dictionaries, ...options }).scan(text);
  return findings.map((f) => ({ ...f, text: text.slice(f.start, f.end) }));
}

describe('organisation dictionaries', () => {
  it('finds terms case-insensitively, longest first, and redacts them with the dictionary id', () => {
    const text = 'Ship PROJECT FALCON before nightjar; ask db.internal.example:5432.';
    expect(found(text).map((f) => f.text)).toEqual(['PROJECT FALCON', 'nightjar', 'db.internal.example']);
    const detector = createDetector({ rules: [], dictionaries: [codeNames] });
    expect(redact(text, detector.scan(text))).toBe(
      'Ship [REDACTED:project-names] before [REDACTED:project-names]; ask [REDACTED:project-names]:5432.',
    );
  });

  it('matches only on word boundaries', () => {
    expect(found('falcons falconry superfalcon falcon_x x-falcon')).toEqual([
      expect.objectContaining({ text: 'falcon', start: 'falcons falconry superfalcon falcon_x x-'.length }),
    ]);
  });

  it('reports JavaScript string offsets after astral characters and folds non-ASCII case', () => {
    const text = '🚀 Ünïcode Co and 🚀🚀 falcon';
    const results = found(text, [
      { id: 'customers', description: 'Customers', terms: ['ünïcode co'] },
      codeNames,
    ]);
    expect(results.map((f) => f.text)).toEqual(['Ünïcode Co', 'falcon']);
    expect(results[0]!.start).toBe(3);
  });

  it('matches 10,000 terms in one pass and finds terms at the very start and end', () => {
    const terms = Array.from({ length: 10_000 }, (_, i) => `customer-${i}-ltd`);
    const text = `customer-0-ltd wrote to customer-5000-ltd and customer-50000-ltd, cc customer-9999-ltd`;
    const results = found(text, [{ id: 'customers', description: 'Customers', terms }]);
    expect(results.map((f) => f.text)).toEqual(['customer-0-ltd', 'customer-5000-ltd', 'customer-9999-ltd']);
  });

  it('follows the configured action: block refuses, allow turns the dictionary off', () => {
    expect(found('falcon', [codeNames], { ruleActions: { 'project-names': 'block' } })[0]!.action).toBe(
      'block',
    );
    expect(found('falcon', [codeNames], { categoryActions: { custom: 'allow' } })).toEqual([]);
  });

  it('lets a secret rule win over a dictionary term covering the same span', () => {
    const detector = createDetector({
      dictionaries: [{ id: 'weird-list', description: 'x', terms: ['AKIAZ7QW3RT5YU2IO4PD'] }],
    });
    expect(detector.scan('key AKIAZ7QW3RT5YU2IO4PD').map((f) => f.rule)).toEqual(['aws-access-key-id']);
  });

  it('rejects a dictionary with a bad id, a duplicate id or non-string terms with a coded TypeError', () => {
    expect(() => createDetector({ dictionaries: [{ id: 'Bad Id', description: '', terms: [] }] })).toThrow(
      expect.objectContaining({ code: 'LG_ARG_INVALID' }),
    );
    expect(() => createDetector({ dictionaries: [{ id: 'email', description: '', terms: ['x'] }] })).toThrow(
      /duplicate/,
    );
    expect(() =>
      createDetector({ dictionaries: [{ id: 'x', description: '', terms: [1 as unknown as string] }] }),
    ).toThrow(expect.objectContaining({ code: 'LG_ARG_INVALID' }));
  });
});
