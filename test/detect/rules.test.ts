import { describe, expect, it } from 'vitest';
import {
  builtinRules,
  createDetector,
  placeholderFor,
  redact,
  type DigitRunAnchor,
  type Rule,
} from '../../core/detect/index.js';
import { keywordStarts, mutatedExamples, rng } from './generate.js';

const full = createDetector();

describe('built-in rules', () => {
  it('have unique kebab-case ids', () => {
    const ids = builtinRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('each have at least one lowercase keyword, a description and examples both ways', () => {
    for (const rule of builtinRules) {
      expect(rule.keywords.length, rule.id).toBeGreaterThan(0);
      for (const k of rule.keywords) expect(k, rule.id).toBe(k.toLowerCase());
      expect(rule.description.length, rule.id).toBeGreaterThan(10);
      expect(rule.truePositives.length, rule.id).toBeGreaterThan(0);
      expect(rule.falsePositives.length, rule.id).toBeGreaterThan(0);
    }
  });

  it('each declare matchStart or digitRuns, so that they run near their keywords or digit runs, not over the whole text', () => {
    for (const rule of builtinRules) {
      expect(rule.matchStart !== undefined || rule.digitRuns !== undefined, rule.id).toBe(true);
    }
  });

  it('never use the g or y flag (the engine adds g itself)', () => {
    for (const rule of builtinRules) expect(rule.pattern.flags, rule.id).not.toMatch(/[gy]/);
  });

  it('cover the required secret and PII families', () => {
    const ids = new Set(builtinRules.map((r) => r.id));
    for (const id of [
      'aws-access-key-id',
      'aws-secret-access-key',
      'github-pat',
      'github-fine-grained-pat',
      'gitlab-pat',
      'openai-api-key',
      'anthropic-api-key',
      'google-api-key',
      'slack-token',
      'slack-webhook-url',
      'stripe-secret-key',
      'private-key',
      'jwt',
      'url-credentials',
      'connection-string-password',
      'generic-secret',
      'bearer-token',
      'email',
      'phone',
      'credit-card',
      'us-ssn',
      'iban',
      'ip-address',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });
});

/**
 * Where a regex match starts, relative to the keyword occurrences around it: the offsets `o` such that a
 * keyword starts at `index - o`. The engine only tries positions inside `matchStart`, so a match outside it
 * would be lost.
 */
function startsOutsideMatchStart(rule: Rule, text: string): number[] {
  const [min, max] = rule.matchStart ?? [0, 0];
  const starts = keywordStarts(text, rule.keywords);
  const re = new RegExp(rule.pattern.source, rule.pattern.flags + 'g');
  const outside: number[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    let near = false;
    for (let o = min; o <= max && !near; o++) near = starts.has(m.index - o);
    if (!near) outside.push(m.index);
  }
  return outside;
}

/** Whether `ch` (one character, or '' at an edge of the text) is in `re`, `ascii` deciding for non-ASCII. */
function inClass(re: RegExp | undefined, ch: string, whenMissing: boolean, ascii = true): boolean {
  if (re === undefined) return whenMissing;
  if (ch === '') return false;
  return ch.charCodeAt(0) >= 128 ? ascii : new RegExp(re.source, re.flags.replace(/[gy]/g, '')).test(ch);
}

/**
 * The positions `digitRuns` allows in `text`, computed directly from the anchors' definitions (types.ts), as
 * an oracle for the engine's pass.
 */
function digitRunStarts(anchors: readonly DigitRunAnchor[], text: string): Set<number> {
  const runs = [...text.matchAll(/[0-9]+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const allowed = new Set<number>();
  runs.forEach(([s, e], i) => {
    const next = runs[i + 1]?.[0];
    const before = s > 0 ? (text[s - 1] as string) : '';
    const after = e < text.length ? (text[e] as string) : '';
    for (const a of anchors) {
      const [lo, hi] = a.length ?? [1, Infinity];
      if (e - s < lo || e - s > hi) continue;
      // A non-ASCII character passes every condition: it is in every `before` class and in no `notBefore` one.
      if (!inClass(a.before, before, true) || inClass(a.notBefore, before, false, false)) continue;
      if (!inClass(a.after, after, true) || inClass(a.notAfter, after, false, false)) continue;
      if (a.nextRunWithin !== undefined && (next === undefined || next - e > a.nextRunWithin)) continue;
      const from = a.fromEnd === true ? e : s;
      for (
        let p = Math.max(0, from + a.matchStart[0]);
        p <= Math.min(text.length - 1, from + a.matchStart[1]);
        p++
      ) {
        if (!inClass(a.at, text[p] as string, true)) continue;
        if (p > 0 && inClass(a.notPrecededBy, text[p - 1] as string, false, false)) continue;
        const between = p < from ? text.slice(p + 1, from) : text.slice(from, p);
        if ([...between].every((ch) => inClass(a.through, ch, true))) allowed.add(p);
      }
    }
  });
  return allowed;
}

/** Match starts of `rule`'s pattern in `text` that its `digitRuns` anchors do not allow. */
function startsOutsideDigitRuns(rule: Rule, text: string): number[] {
  const allowed = digitRunStarts(rule.digitRuns ?? [], text);
  const re = new RegExp(rule.pattern.source, rule.pattern.flags + 'g');
  const outside: number[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (!allowed.has(m.index)) outside.push(m.index);
  }
  return outside;
}

/** Digit-dense near misses: the examples' digit groups with their separators shuffled, and log-like lines. */
function digitTexts(rule: Rule, seed: number, count: number): string[] {
  const pick = rng(seed);
  const parts = [
    '0',
    '1',
    '9',
    '00',
    '12',
    '415',
    '0044',
    '4539',
    '2024',
    ' ',
    '-',
    '.',
    ':',
    '/',
    '(',
    ')',
    '+',
  ];
  const pieces = [...rule.truePositives, ...rule.falsePositives].flatMap((t) => t.split(/(?<=[ .:-])/));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let t = '';
    const n = 2 + pick(12);
    for (let k = 0; k < n; k++) t += pick(3) === 0 ? pieces[pick(pieces.length)] : parts[pick(parts.length)];
    out.push(t);
  }
  return out;
}

for (const rule of builtinRules) {
  describe(`rule ${rule.id}`, () => {
    const texts = [...rule.truePositives, ...rule.falsePositives, ...mutatedExamples(rule, 7, 400)];
    if (rule.digitRuns === undefined) {
      it('starts every match of its pattern within matchStart of a keyword, in its examples and mutations of them', () => {
        for (const text of texts)
          expect(startsOutsideMatchStart(rule, text), JSON.stringify(text)).toEqual([]);
      });
    } else {
      it('starts every match of its pattern where its digitRuns allow, in its examples, mutations and digit-dense texts', () => {
        for (const text of [...texts, ...digitTexts(rule, 11, 2000)]) {
          expect(startsOutsideDigitRuns(rule, text), JSON.stringify(text)).toEqual([]);
        }
      });
    }

    // A rule that is off by default is tested turned on; its near misses may still be other rules' findings.
    const offByDefault = rule.defaultAction === 'allow';
    const turnedOn = offByDefault ? { ruleActions: { [rule.id]: 'redact' as const } } : {};
    const alone = createDetector({ rules: [rule], ...turnedOn });
    const withAll = offByDefault ? createDetector(turnedOn) : full;

    it.each(rule.truePositives.map((t) => [t]))('finds and redacts the value in %j', (text) => {
      expect(alone.scan(text).length).toBeGreaterThan(0);
      const findings = withAll.scan(text);
      expect(findings.map((f) => f.rule)).toContain(rule.id);
      expect(redact(text, findings)).toContain(placeholderFor(rule.id));
      if (offByDefault) expect(full.scan(text).map((f) => f.rule)).not.toContain(rule.id);
    });

    it.each(rule.falsePositives.map((t) => [t]))('leaves the near miss %j unchanged', (text) => {
      if (offByDefault) {
        expect(alone.scan(text)).toEqual([]);
        return;
      }
      const findings = full.scan(text);
      expect(findings).toEqual([]);
      expect(redact(text, findings)).toBe(text);
    });
  });
}

describe('common false positives', () => {
  const texts = [
    'request id 550e8400-e29b-41d4-a716-446655440000 failed',
    'sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'md5 d41d8cd98f00b204e9800998ecf8427e',
    'commit 9f1c2ab7e4d3c0b5a6f7e8d9c0b1a2f3e4d5c6b7 (HEAD -> main)',
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'upgraded from 1.2.3 to 10.4.12-beta.1 on 2024-05-17T10:30:00Z (epoch 1715941800000)',
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    'OPENAI_API_KEY=${OPENAI_API_KEY}',
    'token: xxxx',
    'api_key: <your-key>',
    'The meeting is at 10:30, room 4.12, and costs $1,234.56.',
    'Set max_tokens to 1024 and temperature to 0.2.',
  ];
  it.each(texts.map((t) => [t]))('are left alone: %j', (text) => {
    expect(full.scan(text)).toEqual([]);
  });
});
