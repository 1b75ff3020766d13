/**
 * What an organisation adds to the built-in detectors: its own patterns (RE2, linear whatever they say),
 * allowlists for every rule or some, and rules that are off until it turns them on.
 */
import { describe, expect, it } from 'vitest';
import {
  compileLinearPattern,
  createDetector,
  redact,
  type CustomPattern,
  type Rule,
} from '../../core/detect/index.js';
import { LlmgateError } from '../../core/errors.js';

const AWS_KEY = 'AKIA4X3YDICBBPBHM35X';
const TICKET: CustomPattern = {
  id: 'customer-number',
  description: 'Customer number (CUST- and eight digits)',
  pattern: compileLinearPattern('CUST-[0-9]{8}'),
  keywords: ['cust-'],
};

describe('organisation patterns', () => {
  it('redacts what a pattern matches, under its id and the custom category', () => {
    const d = createDetector({ patterns: [TICKET] });
    const text = 'Refund CUST-20481977 today, not CUST-123.';
    const findings = d.scan(text);
    expect(findings).toEqual([
      { rule: 'customer-number', category: 'custom', start: 7, end: 20, action: 'redact' },
    ]);
    expect(redact(text, findings)).toBe('Refund [REDACTED:customer-number] today, not CUST-123.');
  });

  it('runs without keywords on every text, and with keywords only where one occurs', () => {
    const anywhere = createDetector({
      patterns: [
        {
          id: 'hostname',
          description: 'internal host',
          pattern: compileLinearPattern('[a-z0-9-]+\\.corp\\.acme\\.net'),
        },
      ],
    });
    expect(anywhere.scan('ssh build-07.corp.acme.net').map((f) => f.rule)).toEqual(['hostname']);
    const keyed = createDetector({ patterns: [{ ...TICKET, keywords: ['customer'] }] });
    expect(keyed.scan('ref CUST-20481977')).toEqual([]);
    expect(keyed.scan('Customer CUST-20481977').map((f) => f.rule)).toEqual(['customer-number']);
  });

  it('redacts only the capture group when one is named, in either case when asked', () => {
    const d = createDetector({
      patterns: [
        {
          id: 'project-key',
          description: 'project key',
          pattern: compileLinearPattern('project[_ ]key: ?([a-z0-9]{12})', {
            caseInsensitive: true,
            group: 1,
          }),
        },
      ],
    });
    const text = 'PROJECT_KEY: ab12CD34ef56';
    expect(redact(text, d.scan(text))).toBe('PROJECT_KEY: [REDACTED:project-key]');
  });

  it('keeps entropy checks and actions: a low-entropy match passes, block and allow apply by id', () => {
    const pattern: CustomPattern = {
      id: 'build-token',
      description: 'build token',
      pattern: compileLinearPattern('bt_[A-Za-z0-9]{16}'),
      minEntropy: 3,
    };
    const d = createDetector({ patterns: [pattern], ruleActions: { 'build-token': 'block' } });
    expect(d.scan('bt_aaaaaaaaaaaaaaaa')).toEqual([]);
    expect(d.scan('bt_Q7v2Lx9ZkP4mW8rT')[0]?.action).toBe('block');
    expect(
      createDetector({ patterns: [pattern], ruleActions: { 'build-token': 'allow' } }).scan(
        'bt_Q7v2Lx9ZkP4mW8rT',
      ),
    ).toEqual([]);
  });

  it('loses to a built-in secret on the same span, so the finding names the credential', () => {
    const broad: CustomPattern = {
      id: 'aws-ish',
      description: 'x',
      pattern: compileLinearPattern('AKIA[A-Z0-9]{16}'),
    };
    expect(
      createDetector({ patterns: [broad] })
        .scan(`key ${AWS_KEY}`)
        .map((f) => f.rule),
    ).toEqual(['aws-access-key-id']);
  });

  it('refuses patterns RE2 cannot run, and ones that match the empty text, with a coded error', () => {
    for (const source of ['(?<=x)y', '(a)\\1', '(', 'a*', '']) {
      let caught: unknown;
      try {
        compileLinearPattern(source);
      } catch (err) {
        caught = err;
      }
      expect(LlmgateError.is(caught), source).toBe(true);
      expect((caught as LlmgateError).code).toBe('LG_DETECT_BAD_PATTERN');
    }
    expect(() => compileLinearPattern('a(b)', { group: 2 })).toThrow(/no capture group 2/);
  });

  it('stays linear on a pattern that backtracks catastrophically in JavaScript', () => {
    // (a+)+$ on "aaaa…b" takes exponential time in a backtracking engine; RE2 reads the text once.
    const d = createDetector({
      patterns: [{ id: 'evil', description: 'x', pattern: compileLinearPattern('(a+)+$') }],
    });
    const small = 'a'.repeat(20_000) + 'b';
    const large = 'a'.repeat(320_000) + 'b';
    d.scan(small);
    const t0 = performance.now();
    d.scan(small);
    const t1 = performance.now();
    d.scan(large);
    const t2 = performance.now();
    expect((t2 - t1) / Math.max(t1 - t0, 1)).toBeLessThan(64);
  });

  it('reports offsets as JavaScript string indices after astral characters', () => {
    const d = createDetector({ patterns: [TICKET] });
    const text = '😀é CUST-20481977';
    const [f] = d.scan(text);
    expect(text.slice(f!.start, f!.end)).toBe('CUST-20481977');
  });
});

describe('organisation allowlists', () => {
  it('leaves an exact value alone for every rule', () => {
    const d = createDetector({ allowlist: [{ values: [AWS_KEY] }] });
    expect(d.scan(`key ${AWS_KEY}`)).toEqual([]);
    expect(d.scan('key AKIA4X3YDICBBPBHM35Y').map((f) => f.rule)).toEqual(['aws-access-key-id']);
  });

  it('applies a pattern only to the rules it names', () => {
    const allowlist = [{ rules: ['email'], patterns: [compileLinearPattern('@acmecorp\\.io$')] }];
    const d = createDetector({ allowlist });
    expect(d.scan('mail ops@acmecorp.io')).toEqual([]);
    expect(d.scan('mail ops@globex.io').map((f) => f.rule)).toEqual(['email']);
    const other = createDetector({
      allowlist: [{ rules: ['aws-access-key-id'], patterns: [compileLinearPattern('@acme')] }],
    });
    expect(other.scan('mail ops@acmecorp.io').map((f) => f.rule)).toEqual(['email']);
  });

  it('covers dictionaries and organisation patterns too', () => {
    const d = createDetector({
      dictionaries: [{ id: 'customers', description: 'c', terms: ['Globex', 'Initech'] }],
      patterns: [TICKET],
      allowlist: [{ values: ['Initech', 'CUST-00000000'] }],
    });
    expect(d.scan('Globex Initech CUST-00000000 CUST-20481977').map((f) => f.rule)).toEqual([
      'customers',
      'customer-number',
    ]);
  });

  it('rejects malformed entries as misuse', () => {
    expect(() => createDetector({ allowlist: [{ values: [1 as unknown as string] }] })).toThrow(TypeError);
    expect(() => createDetector({ allowlist: [{ patterns: [/x/ as unknown as never] }] })).toThrow(TypeError);
  });
});

describe('rules that are off by default', () => {
  const privateNote: Rule = {
    id: 'internal-note',
    category: 'pii',
    description: 'internal note marker',
    keywords: ['note:'],
    pattern: /note: \w+/,
    defaultAction: 'allow',
    truePositives: [],
    falsePositives: [],
  };

  it('do not run until the organisation names them in ruleActions, whatever the category action', () => {
    expect(createDetector({ rules: [privateNote] }).scan('note: hello')).toEqual([]);
    expect(
      createDetector({ rules: [privateNote], categoryActions: { pii: 'block' } }).scan('note: hello'),
    ).toEqual([]);
    expect(
      createDetector({ rules: [privateNote], ruleActions: { 'internal-note': 'redact' } }).scan(
        'note: hello',
      )[0]?.rule,
    ).toBe('internal-note');
  });
});
