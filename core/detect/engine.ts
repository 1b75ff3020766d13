/**
 * The detector engine: gitleaks' shape on JavaScript strings.
 *
 * 1. Prefilter: one pass of an Aho-Corasick automaton (./keywords.ts) over the text, case-folded on the fly;
 *    it marks the rules one of whose keywords occurs.
 * 2. Only those rules run their regex (compiled once per detector with `g`, `lastIndex` reset per scan).
 * 3. Each match is narrowed to `secretGroup`, then dropped if an `allowlist` entry matches the value, its
 *    Shannon entropy is below `minEntropy`, or `validate` rejects it.
 * 4. Overlaps are resolved: the longer span wins, then secret over pii over custom, then the rule listed
 *    first. Findings come back sorted by `start`, with JavaScript string indices.
 *
 * Actions: `ruleActions[id]` over `categoryActions[category]` over `redact`. A rule whose action is `allow`
 * is not run at all, so it neither reports nor hides another rule's finding.
 *
 * Pure: no I/O, no timers, no globals written; a detector keeps only scratch arrays between scans.
 */
import { CodedTypeError } from '../errors.js';
import { shannonEntropy } from './entropy.js';
import { buildKeywordMatcher } from './keywords.js';
import { builtinRules } from './rules/index.js';
import type { Action, Category, Detector, DetectorOptions, Finding, Rule } from './types.js';

const CATEGORIES: readonly Category[] = ['secret', 'pii', 'custom'];
const ACTIONS: readonly Action[] = ['redact', 'block', 'allow'];
/** Tie-break after length: secret over pii over custom. */
const CATEGORY_RANK: Readonly<Record<Category, number>> = { secret: 0, pii: 1, custom: 2 };
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Keywords are lowercase printable ASCII: the automaton folds ASCII case only. */
const KEYWORD = /^[\x20-\x40\x5b-\x7e]+$/;

interface CompiledRule {
  readonly rule: Rule;
  readonly order: number;
  readonly rank: number;
  readonly action: Action;
  readonly re: RegExp;
  readonly group: number;
  readonly startGroup: number;
  readonly allowlist: readonly RegExp[];
}

interface Candidate {
  readonly r: CompiledRule;
  readonly start: number;
  readonly end: number;
}

function fail(message: string): never {
  throw new CodedTypeError(message);
}

/** Checks one rule's shape. Misuse, not bad data: throws a coded TypeError. */
export function assertRule(rule: Rule, where = 'rule'): void {
  if (typeof rule !== 'object' || rule === null) fail(`${where} must be an object`);
  if (typeof rule.id !== 'string' || !RULE_ID.test(rule.id))
    fail(`${where}.id must be kebab-case, got ${String(rule.id)}`);
  const at = `rule ${rule.id}`;
  if (!CATEGORIES.includes(rule.category)) fail(`${at}: category must be one of ${CATEGORIES.join(', ')}`);
  if (!Array.isArray(rule.keywords) || rule.keywords.length === 0) fail(`${at}: needs at least one keyword`);
  for (const k of rule.keywords) {
    if (typeof k !== 'string' || !KEYWORD.test(k))
      fail(`${at}: keyword ${JSON.stringify(k)} is not lowercase ASCII`);
  }
  if (!(rule.pattern instanceof RegExp)) fail(`${at}: pattern must be a RegExp`);
  if (rule.secretGroup !== undefined && (!Number.isInteger(rule.secretGroup) || rule.secretGroup < 1)) {
    fail(`${at}: secretGroup must be a positive integer`);
  }
  if (rule.startGroup !== undefined && (!Number.isInteger(rule.startGroup) || rule.startGroup < 1)) {
    fail(`${at}: startGroup must be a positive integer`);
  }
  if (rule.minEntropy !== undefined && !(typeof rule.minEntropy === 'number' && rule.minEntropy >= 0)) {
    fail(`${at}: minEntropy must be a non-negative number`);
  }
  if (rule.validate !== undefined && typeof rule.validate !== 'function')
    fail(`${at}: validate must be a function`);
  if (
    rule.allowlist !== undefined &&
    !(Array.isArray(rule.allowlist) && rule.allowlist.every((a) => a instanceof RegExp))
  ) {
    fail(`${at}: allowlist must be an array of RegExp`);
  }
}

function assertAction(value: unknown, where: string): Action {
  if (!ACTIONS.includes(value as Action)) fail(`${where} must be one of ${ACTIONS.join(', ')}`);
  return value as Action;
}

/** Removes `g` and `y` so a shared RegExp keeps no `lastIndex` state between calls. */
function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

function compile(
  rules: readonly Rule[],
  categoryActions: Partial<Record<Category, Action>>,
  ruleActions: Readonly<Record<string, Action>>,
): CompiledRule[] {
  const seen = new Set<string>();
  const compiled: CompiledRule[] = [];
  rules.forEach((rule, index) => {
    assertRule(rule, `rules[${index}]`);
    if (seen.has(rule.id)) fail(`duplicate rule id ${rule.id}`);
    seen.add(rule.id);
    const action = ruleActions[rule.id] ?? categoryActions[rule.category] ?? 'redact';
    if (action === 'allow') return;
    const group = rule.secretGroup ?? 0;
    const startGroup = rule.startGroup ?? 0;
    // `d` (match indices) only where a group is used: it costs an allocation per match.
    const flags = rule.pattern.flags.replace(/[gyd]/g, '') + 'g' + (group > 0 || startGroup > 0 ? 'd' : '');
    compiled.push({
      rule,
      order: index,
      rank: CATEGORY_RANK[rule.category],
      action,
      re: new RegExp(rule.pattern.source, flags),
      group,
      startGroup,
      allowlist: (rule.allowlist ?? []).map(stateless),
    });
  });
  return compiled;
}

function accepts(c: CompiledRule, value: string): boolean {
  for (const a of c.allowlist) if (a.test(value)) return false;
  const rule = c.rule;
  if (rule.minEntropy !== undefined && shannonEntropy(value) < rule.minEntropy) return false;
  if (rule.validate !== undefined) {
    try {
      return rule.validate(value);
    } catch {
      return true; // a validator bug fails closed: the value is redacted rather than leaked
    }
  }
  return true;
}

function run(c: CompiledRule, text: string, out: Candidate[]): void {
  const re = c.re;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const whole = m[0];
    if (whole.length === 0) {
      re.lastIndex++;
      continue;
    }
    let start = m.index;
    let end = start + whole.length;
    let value = whole;
    if (c.group > 0) {
      const span = m.indices?.[c.group];
      const inner = m[c.group];
      if (span === undefined || inner === undefined || inner.length === 0) continue;
      start = span[0];
      end = span[1];
      value = inner;
    }
    if (c.startGroup > 0) {
      const span = m.indices?.[c.startGroup];
      if (span === undefined || span[0] >= end) continue;
      start = span[0];
      value = text.slice(start, end);
    }
    if (accepts(c, value)) out.push({ r: c, start, end });
  }
}

function byStart(a: Candidate, b: Candidate): number {
  return a.start - b.start || a.end - b.end;
}

function byPreference(a: Candidate, b: Candidate): number {
  return (
    b.end - b.start - (a.end - a.start) || a.r.rank - b.r.rank || a.r.order - b.r.order || a.start - b.start
  );
}

/**
 * Greedy by preference inside each cluster of overlapping candidates. A coverage bitmap over the cluster's
 * span makes each check cost the candidate's length, so the whole pass is linear in the text for a fixed
 * rule set (one rule's matches never overlap each other).
 */
function resolveCluster(cluster: Candidate[], from: number, to: number, kept: Candidate[]): void {
  cluster.sort(byPreference);
  const covered = new Uint8Array(to - from);
  const chosen: Candidate[] = [];
  for (const c of cluster) {
    let free = true;
    for (let i = c.start - from; i < c.end - from; i++) {
      if (covered[i] !== 0) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    covered.fill(1, c.start - from, c.end - from);
    chosen.push(c);
  }
  chosen.sort(byStart);
  for (const c of chosen) kept.push(c);
}

function resolve(candidates: Candidate[]): Candidate[] {
  if (candidates.length === 1) return candidates;
  candidates.sort(byStart);
  const kept: Candidate[] = [];
  let i = 0;
  while (i < candidates.length) {
    const first = candidates[i] as Candidate;
    let to = first.end;
    let j = i + 1;
    while (j < candidates.length && (candidates[j] as Candidate).start < to) {
      to = Math.max(to, (candidates[j] as Candidate).end);
      j++;
    }
    if (j === i + 1) kept.push(first);
    else resolveCluster(candidates.slice(i, j), first.start, to, kept);
    i = j;
  }
  return kept;
}

/** Builds a detector. Options are validated once here; a bad option throws a coded `TypeError`. */
export function createDetector(options: DetectorOptions = {}): Detector {
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const rules = options.rules ?? builtinRules;
  if (!Array.isArray(rules)) fail('options.rules must be an array of rules');
  const categoryActions: Partial<Record<Category, Action>> = {};
  for (const [category, action] of Object.entries(options.categoryActions ?? {})) {
    if (!CATEGORIES.includes(category as Category))
      fail(`options.categoryActions: unknown category ${category}`);
    categoryActions[category as Category] = assertAction(action, `options.categoryActions.${category}`);
  }
  const ruleActions: Record<string, Action> = {};
  for (const [id, action] of Object.entries(options.ruleActions ?? {})) {
    ruleActions[id] = assertAction(action, `options.ruleActions.${id}`);
  }

  const active = compile(rules, categoryActions, ruleActions);
  const matcher = buildKeywordMatcher(active.map((c) => c.rule.keywords));
  const hits = new Uint32Array(active.length);
  let generation = 0;

  return {
    scan(text: string): Finding[] {
      if (typeof text !== 'string') fail('scan(text): text must be a string');
      if (text.length === 0 || active.length === 0) return [];
      if (++generation === 0xffffffff) {
        generation = 1;
        hits.fill(0);
        matcher.reset();
      }
      if (matcher.mark(text, hits, generation) === 0) return [];
      const candidates: Candidate[] = [];
      for (let r = 0; r < active.length; r++) {
        if (hits[r] === generation) run(active[r] as CompiledRule, text, candidates);
      }
      if (candidates.length === 0) return [];
      return resolve(candidates).map((c) => ({
        rule: c.r.rule.id,
        category: c.r.rule.category,
        start: c.start,
        end: c.end,
        action: c.r.action,
      }));
    },
  };
}
