/**
 * The detector engine: gitleaks' shape on JavaScript strings.
 *
 * 1. Prefilter: one pass of an Aho-Corasick automaton (./keywords.ts) over the text, case-folded on the fly;
 *    it finds which rules' keywords occur and where.
 * 2. Only those rules run their regex. A rule that declares `matchStart` (where a match can start relative
 *    to a keyword occurrence) runs near its keyword hits only: the hits become windows of possible match
 *    starts, overlapping windows merge, and a sticky copy of the regex is tried at each position of each
 *    window, on the full text (so lookbehinds and lookaheads at a window's edge see what they would see in a
 *    whole-text run), skipping positions inside the previous match as a global run would. The findings are
 *    exactly the whole-text run's, because every match starts inside a window. When the windows add up to a
 *    sizeable part of the text (digit keywords in code) a single global run is cheaper, and a rule without
 *    `matchStart` always has one. Regexes are compiled once per detector, `lastIndex` set per run.
 *    A rule keyed on digits (cards, phones, IP addresses, national ids) declares `digitRuns` instead: where its
 *    matches start relative to the runs of ASCII digits (run length, the characters around the run, the
 *    distance to the next run). One pass over the text, shared by all such rules (./digit-runs.ts), turns the
 *    runs into each rule's candidate starts, and the sticky regex is tried there as for windows, or one global
 *    run goes when they are too many. Text full of numbers (logs) then costs a few attempts per line per rule
 *    rather than a regex pass per rule; these rules are not in the keyword automaton, so digits cost it nothing.
 * 3. Each match is narrowed to `secretGroup`, then dropped if an `allowlist` entry matches the value, its
 *    Shannon entropy is below `minEntropy`, or `validate` rejects it.
 * 4. Overlaps are resolved: the longer span wins, then secret over pii over custom, then the rule listed
 *    first. Findings come back sorted by `start`, with JavaScript string indices.
 *
 * Actions: `ruleActions[id]` over the rule's `defaultAction` over `categoryActions[category]` over `redact`
 * (`actionFor`). A rule whose action is `allow` is not run at all, so it neither reports nor hides another
 * rule's finding. A `pseudonymize` finding whose value its rule does not find on its own is reported as
 * `redact` (`reversibleOnlyWhereFoundAlone`).
 *
 * Organisation additions: dictionaries (./dictionary.ts) and patterns (RE2, ./linear-pattern.ts) run beside
 * the rules and rank after them in ties; allowlists drop a finding whose value an organisation listed, for
 * every rule or the ones it names.
 *
 * Cost: the keyword pass is linear; a windowed rule costs one regex attempt per window position (what a
 * global run would spend at those positions, plus a call), and the fallback caps that at a global run. The
 * digit-run pass is linear too (O(1) per run plus its windows, each capped per rule, see ./digit-runs.ts), and
 * its rules fall back to a global run the same way. So a scan stays linear in the text, for a fixed rule set,
 * whatever the keyword or digit density.
 *
 * Pure: no I/O, no timers. A detector keeps scratch arrays between scans; the keyword pass and entropy use
 * module-level scratch that is filled and read within one synchronous call.
 */
import { CodedTypeError } from '../errors.js';
import { shannonEntropy } from './entropy.js';
import { buildDictionaryMatcher, type DictionaryMatch, type DictionaryMatcher } from './dictionary.js';
import { buildDigitRunIndex } from './digit-runs.js';
import { buildKeywordMatcher } from './keywords.js';
import { builtinRules } from './rules/index.js';
import type {
  Action,
  AllowlistEntry,
  Category,
  CustomPattern,
  Detector,
  DetectorOptions,
  Dictionary,
  DigitRunAnchor,
  Finding,
  LinearPattern,
  Rule,
} from './types.js';

const CATEGORIES: readonly Category[] = ['secret', 'pii', 'custom'];
const ACTIONS: readonly Action[] = ['redact', 'pseudonymize', 'block', 'allow'];
/** Tie-break after length: secret over pii over custom. */
const CATEGORY_RANK: Readonly<Record<Category, number>> = { secret: 0, pii: 1, custom: 2 };
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Keywords are lowercase printable ASCII: the automaton folds ASCII case only. */
const KEYWORD = /^[\x20-\x40\x5b-\x7e]+$/;
/** Bound on `matchStart` offsets. */
const MAX_MATCH_START_OFFSET = 4096;
/**
 * A sticky attempt, a call from JavaScript into the regex engine, costs about as much as a global run spends
 * on this many characters in its inner loop: 25-45 ns a call against 0.2-1.2 ns a character for the built-in
 * rules (node 20). When a rule's windows hold more positions than the text's length divided by this, one
 * global run is cheaper, and gives the same matches.
 */
const ATTEMPT_COST_IN_CHARS = 32;

interface CompiledRule {
  readonly rule: Rule;
  readonly order: number;
  readonly rank: number;
  readonly action: Action;
  /** The pattern with `g` (and `d` when a group is used), for a global run. */
  readonly re: RegExp;
  /** The pattern with `y`, tried at single positions; undefined without `matchStart` or `digitRuns`. */
  readonly sticky: RegExp | undefined;
  /** `matchStart`, 0 without it. */
  readonly startMin: number;
  readonly startMax: number;
  /**
   * Hits whose window falls outside the text hold no position: at most this many (`-max` at the start when
   * max < 0, `min` at the end when min > 0). Past `budget + edgeLoss` hits the windows are too many.
   */
  readonly edgeLoss: number;
  /** `u` or `v` flag: a position inside a surrogate pair is never tried (a global run never tries it). */
  readonly unicode: boolean;
  /** The rule's keyword list in the matcher; rules with the same keywords share one. -1 with `digitRuns`. */
  readonly keywordGroup: number;
  /** The rule's number in the digit-run index; -1 without `digitRuns`. */
  readonly digitRunRule: number;
  readonly secretGroup: number;
  readonly startGroup: number;
  readonly allowlist: readonly RegExp[];
  /** The organisation's allowlists that apply to this rule; undefined when none does. */
  readonly orgAllowlist: OrgAllowlist | undefined;
}

/** The organisation allowlist entries that apply to one rule, merged. */
interface OrgAllowlist {
  readonly values: ReadonlySet<string>;
  readonly patterns: readonly LinearPattern[];
}

interface Candidate {
  readonly r: CompiledRule;
  readonly start: number;
  readonly end: number;
}

function fail(message: string): never {
  throw new CodedTypeError(message);
}

function isOffset(v: unknown): v is number {
  return Number.isInteger(v) && Math.abs(v as number) <= MAX_MATCH_START_OFFSET;
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
  if (rule.matchStart !== undefined) {
    const ms: unknown = rule.matchStart;
    if (!(Array.isArray(ms) && ms.length === 2 && isOffset(ms[0]) && isOffset(ms[1]) && ms[0] <= ms[1])) {
      fail(`${at}: matchStart must be [min, max], integers within ±${MAX_MATCH_START_OFFSET}, min <= max`);
    }
  }
  if (rule.digitRuns !== undefined) assertDigitRuns(rule, at);
  if (rule.secretGroup !== undefined && (!Number.isInteger(rule.secretGroup) || rule.secretGroup < 1)) {
    fail(`${at}: secretGroup must be a positive integer`);
  }
  if (rule.startGroup !== undefined && (!Number.isInteger(rule.startGroup) || rule.startGroup < 1)) {
    fail(`${at}: startGroup must be a positive integer`);
  }
  if (rule.minEntropy !== undefined && !(typeof rule.minEntropy === 'number' && rule.minEntropy >= 0)) {
    fail(`${at}: minEntropy must be a non-negative number`);
  }
  if (rule.defaultAction !== undefined && !ACTIONS.includes(rule.defaultAction)) {
    fail(`${at}: defaultAction must be one of ${ACTIONS.join(', ')}`);
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

function assertDigitRuns(rule: Rule, at: string): void {
  const anchors: unknown = rule.digitRuns;
  if (rule.matchStart !== undefined) fail(`${at}: declare matchStart or digitRuns, not both`);
  if (!Array.isArray(anchors) || anchors.length === 0) fail(`${at}: digitRuns must be a non-empty array`);
  if (!rule.keywords.every((k) => /^[0-9]$/.test(k))) fail(`${at}: a rule with digitRuns has digit keywords`);
  (anchors as DigitRunAnchor[]).forEach((a, i) => {
    const where = `${at}: digitRuns[${i}]`;
    if (typeof a !== 'object' || a === null) fail(`${where} must be an object`);
    const ms: unknown = a.matchStart;
    if (!(Array.isArray(ms) && ms.length === 2 && isOffset(ms[0]) && isOffset(ms[1]) && ms[0] <= ms[1])) {
      fail(`${where}.matchStart must be [min, max], integers within ±${MAX_MATCH_START_OFFSET}, min <= max`);
    }
    const len: unknown = a.length;
    if (
      len !== undefined &&
      !(
        Array.isArray(len) &&
        len.length === 2 &&
        Number.isInteger(len[0]) &&
        (len[0] as number) >= 1 &&
        (Number.isInteger(len[1]) || len[1] === Infinity) &&
        (len[0] as number) <= (len[1] as number)
      )
    ) {
      fail(`${where}.length must be [min, max], 1 <= min <= max (max may be Infinity)`);
    }
    if (a.fromEnd !== undefined && typeof a.fromEnd !== 'boolean') fail(`${where}.fromEnd must be a boolean`);
    const within: unknown = a.nextRunWithin;
    if (within !== undefined && !(Number.isInteger(within) && (within as number) >= 1)) {
      fail(`${where}.nextRunWithin must be a positive integer`);
    }
    for (const key of [
      'before',
      'notBefore',
      'after',
      'notAfter',
      'at',
      'notPrecededBy',
      'through',
    ] as const) {
      if (a[key] !== undefined && !(a[key] instanceof RegExp)) fail(`${where}.${key} must be a RegExp`);
    }
  });
}

function assertAction(value: unknown, where: string): Action {
  if (!ACTIONS.includes(value as Action)) fail(`${where} must be one of ${ACTIONS.join(', ')}`);
  return value as Action;
}

/** What happens to a finding of rule `id`: see the file comment. */
function actionFor(
  id: string,
  category: Category,
  defaultAction: Action | undefined,
  categoryActions: Partial<Record<Category, Action>>,
  ruleActions: Readonly<Record<string, Action>>,
): Action {
  return ruleActions[id] ?? defaultAction ?? categoryActions[category] ?? 'redact';
}

/** A rule, dictionary or pattern as a detector built from some options would run it. */
export interface RuleSummary {
  readonly id: string;
  readonly category: Category;
  readonly description: string;
  readonly source: 'builtin' | 'dictionary' | 'pattern';
  /** `allow`: the detector does not run it. */
  readonly action: Action;
}

/** Every rule, dictionary and pattern `options` name, with the action a detector built from them applies. */
export function describeRules(options: DetectorOptions = {}): RuleSummary[] {
  const categoryActions = options.categoryActions ?? {};
  const ruleActions = options.ruleActions ?? {};
  const summary = (
    id: string,
    category: Category,
    description: string,
    source: RuleSummary['source'],
    defaultAction?: Action,
  ): RuleSummary => ({
    id,
    category,
    description,
    source,
    action: actionFor(id, category, defaultAction, categoryActions, ruleActions),
  });
  return [
    ...(options.rules ?? builtinRules).map((r) =>
      summary(r.id, r.category, r.description, 'builtin', r.defaultAction),
    ),
    ...(options.dictionaries ?? []).map((d) =>
      summary(d.id, d.category ?? 'custom', d.description, 'dictionary'),
    ),
    ...(options.patterns ?? []).map((p) => summary(p.id, p.category ?? 'custom', p.description, 'pattern')),
  ];
}

/** Removes `g` and `y` so a shared RegExp keeps no `lastIndex` state between calls. */
function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

/** Compiles the active rules; `keywordGroups` receives each distinct keyword list (sorted, as JSON). */
function compile(
  rules: readonly Rule[],
  categoryActions: Partial<Record<Category, Action>>,
  ruleActions: Readonly<Record<string, Action>>,
  keywordGroups: Map<string, number>,
  orgAllowlists: (id: string) => OrgAllowlist | undefined,
): CompiledRule[] {
  const seen = new Set<string>();
  const compiled: CompiledRule[] = [];
  let digitRunRules = 0;
  rules.forEach((rule, index) => {
    assertRule(rule, `rules[${index}]`);
    if (seen.has(rule.id)) fail(`duplicate rule id ${rule.id}`);
    seen.add(rule.id);
    const action = actionFor(rule.id, rule.category, rule.defaultAction, categoryActions, ruleActions);
    if (action === 'allow') return;
    const secretGroup = rule.secretGroup ?? 0;
    const startGroup = rule.startGroup ?? 0;
    // `d` (match indices) only where a group is used: it costs an allocation per match.
    const flags = rule.pattern.flags.replace(/[gyd]/g, '') + (secretGroup > 0 || startGroup > 0 ? 'd' : '');
    // A rule with `digitRuns` is found by the digit-run pass, not the keyword automaton.
    const anchored = rule.digitRuns !== undefined;
    const key = JSON.stringify([...new Set(rule.keywords)].sort());
    const keywordGroup = anchored ? -1 : keywordGroupOf(keywordGroups, key);
    compiled.push({
      rule,
      order: index,
      rank: CATEGORY_RANK[rule.category],
      action,
      re: new RegExp(rule.pattern.source, flags + 'g'),
      sticky:
        rule.matchStart === undefined && !anchored ? undefined : new RegExp(rule.pattern.source, flags + 'y'),
      startMin: rule.matchStart?.[0] ?? 0,
      startMax: rule.matchStart?.[1] ?? 0,
      edgeLoss: Math.max(0, -(rule.matchStart?.[1] ?? 0)) + Math.max(0, rule.matchStart?.[0] ?? 0),
      unicode: /[uv]/.test(flags),
      keywordGroup,
      digitRunRule: anchored ? digitRunRules++ : -1,
      secretGroup,
      startGroup,
      allowlist: (rule.allowlist ?? []).map(stateless),
      orgAllowlist: orgAllowlists(rule.id),
    });
  });
  return compiled;
}

/** The index of a keyword list (sorted, as JSON) in the matcher, added when new. */
function keywordGroupOf(keywordGroups: Map<string, number>, key: string): number {
  let group = keywordGroups.get(key);
  if (group === undefined) {
    group = keywordGroups.size;
    keywordGroups.set(key, group);
  }
  return group;
}

/** Checks the allowlist entries and returns, per rule id, the ones that apply to it. */
function compileAllowlists(entries: readonly AllowlistEntry[]): (id: string) => OrgAllowlist | undefined {
  if (!Array.isArray(entries as unknown)) fail('options.allowlist must be an array');
  const forAll: AllowlistEntry[] = [];
  const byRule = new Map<string, AllowlistEntry[]>();
  entries.forEach((entry, index) => {
    const at = `options.allowlist[${index}]`;
    if (typeof entry !== 'object' || entry === null) fail(`${at} must be an object`);
    if (
      entry.values !== undefined &&
      !(Array.isArray(entry.values) && entry.values.every((v) => typeof v === 'string'))
    )
      fail(`${at}.values must be an array of strings`);
    if (
      entry.patterns !== undefined &&
      !(Array.isArray(entry.patterns) && entry.patterns.every(isLinearPattern))
    )
      fail(`${at}.patterns must be an array of linear patterns (compileLinearPattern)`);
    if (entry.rules === undefined) forAll.push(entry);
    else {
      if (!Array.isArray(entry.rules) || entry.rules.some((r) => typeof r !== 'string'))
        fail(`${at}.rules must be an array of rule ids`);
      for (const id of entry.rules) byRule.set(id, [...(byRule.get(id) ?? []), entry]);
    }
  });
  const cache = new Map<string, OrgAllowlist | undefined>();
  return (id) => {
    if (cache.has(id)) return cache.get(id);
    const applying = [...forAll, ...(byRule.get(id) ?? [])];
    const merged =
      applying.length === 0
        ? undefined
        : {
            values: new Set(applying.flatMap((e) => e.values ?? [])),
            patterns: applying.flatMap((e) => e.patterns ?? []),
          };
    cache.set(id, merged);
    return merged;
  };
}

function isLinearPattern(value: unknown): value is LinearPattern {
  const p = value as Partial<LinearPattern> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.test === 'function' &&
    typeof p.forEachMatch === 'function'
  );
}

function allowedByOrganisation(allow: OrgAllowlist, value: string): boolean {
  if (allow.values.has(value)) return true;
  for (const p of allow.patterns) if (p.test(value)) return true;
  return false;
}

function accepts(c: CompiledRule, value: string): boolean {
  for (const a of c.allowlist) if (a.test(value)) return false;
  if (c.orgAllowlist !== undefined && allowedByOrganisation(c.orgAllowlist, value)) return false;
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

/** Narrows a (non-empty) match to the finding's span and keeps it when the value passes the rule's checks. */
function consider(c: CompiledRule, m: RegExpExecArray, text: string, out: Candidate[]): void {
  const whole = m[0];
  let start = m.index;
  let end = start + whole.length;
  let value = whole;
  if (c.secretGroup > 0) {
    const span = m.indices?.[c.secretGroup];
    const inner = m[c.secretGroup];
    if (span === undefined || inner === undefined || inner.length === 0) return;
    start = span[0];
    end = span[1];
    value = inner;
  }
  if (c.startGroup > 0) {
    const span = m.indices?.[c.startGroup];
    if (span === undefined || span[0] >= end) return;
    start = span[0];
    value = text.slice(start, end);
  }
  if (accepts(c, value)) out.push({ r: c, start, end });
}

/** A global run: every match from `from` to the end of the text. */
function runGlobal(c: CompiledRule, text: string, from: number, out: Candidate[]): void {
  const re = c.re;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    consider(c, m, text, out);
  }
}

/** True when index `p` is the second half of a surrogate pair. */
function insidePair(text: string, p: number): boolean {
  const low = text.charCodeAt(p);
  if (low < 0xdc00 || low > 0xdfff || p === 0) return false;
  const high = text.charCodeAt(p - 1);
  return high >= 0xd800 && high <= 0xdbff;
}

/**
 * Merges the windows of possible match starts around `count` keyword hits (starts, ascending) into
 * `windows` as inclusive `[lo, hi]` pairs, clamped to the text; windows that overlap or touch merge.
 * Returns the number of entries written (twice the number of windows) and, in `positions[0]`, how many
 * positions they hold.
 */
function mergeWindows(
  hits: Int32Array,
  count: number,
  min: number,
  max: number,
  length: number,
  windows: Int32Array,
  positions: Int32Array,
): number {
  let w = 0;
  let total = 0;
  let lo = 0;
  let hi = -2; // no open window
  for (let k = 0; k < count; k++) {
    const h = hits[k] as number;
    const a = Math.max(0, h + min);
    const b = Math.min(length - 1, h + max);
    if (a > b) continue;
    if (a <= hi + 1) {
      if (b > hi) hi = b;
      continue;
    }
    if (hi >= lo) {
      windows[w++] = lo;
      windows[w++] = hi;
      total += hi - lo + 1;
    }
    lo = a;
    hi = b;
  }
  if (hi >= lo) {
    windows[w++] = lo;
    windows[w++] = hi;
    total += hi - lo + 1;
  }
  positions[0] = total;
  return w;
}

/**
 * Runs a `matchStart` rule near its keyword hits: the sticky regex is tried at each window position, left to
 * right, never inside the previous match, on the full text. That is the sequence of attempts a global run
 * makes, minus positions where no match can start, so the matches are the same.
 */
function runNear(
  c: CompiledRule,
  text: string,
  windows: Int32Array,
  w: number,
  positions: number,
  out: Candidate[],
): void {
  if (w === 0) return;
  if (positions * ATTEMPT_COST_IN_CHARS > text.length) {
    runGlobal(c, text, windows[0] as number, out);
    return;
  }
  const re = c.sticky as RegExp;
  let next = 0; // end of the previous match: a global run resumes there
  for (let k = 0; k < w; k += 2) {
    const hi = windows[k + 1] as number;
    for (let p = Math.max(windows[k] as number, next); p <= hi; p++) {
      if (c.unicode && insidePair(text, p)) continue;
      re.lastIndex = p;
      const m = re.exec(text);
      if (m === null || m[0].length === 0) continue;
      consider(c, m, text, out);
      next = m.index + m[0].length; // m.index is p: the sticky regex matched there
      p = next - 1;
    }
  }
}

/**
 * Runs a `digitRuns` rule at its candidate starts (ascending, distinct): the sticky regex is tried at each,
 * never inside the previous match, on the full text, as in `runNear`.
 */
function runAt(c: CompiledRule, text: string, starts: Int32Array, count: number, out: Candidate[]): void {
  const re = c.sticky as RegExp;
  let next = 0; // end of the previous match: a global run resumes there
  for (let k = 0; k < count; k++) {
    const p = starts[k] as number;
    if (p < next || (c.unicode && insidePair(text, p))) continue;
    re.lastIndex = p;
    const m = re.exec(text);
    if (m === null || m[0].length === 0) continue;
    consider(c, m, text, out);
    next = m.index + m[0].length;
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

interface CompiledDictionary {
  readonly matcher: DictionaryMatcher;
  /** Stands in for a rule in candidates and overlap resolution; never run as a regex. */
  readonly rule: CompiledRule;
}

interface CompiledPattern {
  readonly pattern: LinearPattern;
  /** Its keyword list in the matcher; -1 when it has none and runs on every text. */
  readonly keywordGroup: number;
  readonly rule: CompiledRule;
}

const NEVER = /(?!)/g;

/**
 * The compiled form of a dictionary or pattern, which the engine matches by other means than a RegExp: it
 * takes part in overlap resolution, actions, entropy and allowlists like a rule, and ranks after every rule
 * of its category in a tie (`order` past the rules).
 */
function standIn(
  rule: Rule,
  order: number,
  action: Action,
  orgAllowlist: OrgAllowlist | undefined,
): CompiledRule {
  return {
    rule,
    order,
    rank: CATEGORY_RANK[rule.category],
    action,
    re: NEVER,
    sticky: undefined,
    startMin: 0,
    startMax: 0,
    edgeLoss: 0,
    unicode: false,
    keywordGroup: -1,
    digitRunRule: -1,
    secretGroup: 0,
    startGroup: 0,
    allowlist: [],
    orgAllowlist,
  };
}

/** Dictionaries rank after every rule of their category in a tie. */
function compileDictionaries(
  dictionaries: readonly Dictionary[],
  ids: Set<string>,
  order: number,
  categoryActions: Partial<Record<Category, Action>>,
  ruleActions: Readonly<Record<string, Action>>,
  orgAllowlists: (id: string) => OrgAllowlist | undefined,
): CompiledDictionary[] {
  if (!Array.isArray(dictionaries as unknown)) fail('options.dictionaries must be an array');
  const compiled: CompiledDictionary[] = [];
  dictionaries.forEach((d, index) => {
    if (typeof d?.id !== 'string' || !RULE_ID.test(d.id))
      fail(`dictionaries[${index}].id must be a kebab-case id`);
    if (ids.has(d.id)) fail(`duplicate rule id ${d.id}`);
    ids.add(d.id);
    if (!Array.isArray(d.terms as unknown) || d.terms.some((t: unknown) => typeof t !== 'string')) {
      fail(`dictionaries[${index}].terms must be an array of strings`);
    }
    const category = d.category ?? 'custom';
    if (!CATEGORIES.includes(category)) fail(`dictionaries[${index}].category: unknown category ${category}`);
    const action = actionFor(d.id, category, undefined, categoryActions, ruleActions);
    if (action === 'allow') return;
    const rule: Rule = {
      id: d.id,
      category,
      description: d.description,
      keywords: [],
      pattern: NEVER,
      truePositives: [],
      falsePositives: [],
    };
    compiled.push({
      matcher: buildDictionaryMatcher(d.terms),
      rule: standIn(rule, order + index, action, orgAllowlists(d.id)),
    });
  });
  return compiled;
}

/** Organisation patterns rank after the dictionaries in a tie. */
function compilePatterns(
  patterns: readonly CustomPattern[],
  ids: Set<string>,
  order: number,
  categoryActions: Partial<Record<Category, Action>>,
  ruleActions: Readonly<Record<string, Action>>,
  keywordGroups: Map<string, number>,
  orgAllowlists: (id: string) => OrgAllowlist | undefined,
): CompiledPattern[] {
  if (!Array.isArray(patterns as unknown)) fail('options.patterns must be an array');
  const compiled: CompiledPattern[] = [];
  patterns.forEach((p, index) => {
    const at = `patterns[${index}]`;
    if (typeof p?.id !== 'string' || !RULE_ID.test(p.id)) fail(`${at}.id must be a kebab-case id`);
    if (ids.has(p.id)) fail(`duplicate rule id ${p.id}`);
    ids.add(p.id);
    if (!isLinearPattern(p.pattern)) fail(`${at}.pattern must be a linear pattern (compileLinearPattern)`);
    const category = p.category ?? 'custom';
    if (!CATEGORIES.includes(category)) fail(`${at}.category: unknown category ${category}`);
    const keywords = p.keywords ?? [];
    for (const k of keywords) {
      if (typeof k !== 'string' || !KEYWORD.test(k))
        fail(`${at}: keyword ${JSON.stringify(k)} is not lowercase ASCII`);
    }
    if (p.minEntropy !== undefined && !(typeof p.minEntropy === 'number' && p.minEntropy >= 0)) {
      fail(`${at}.minEntropy must be a non-negative number`);
    }
    const action = actionFor(p.id, category, undefined, categoryActions, ruleActions);
    if (action === 'allow') return;
    const rule: Rule = {
      id: p.id,
      category,
      description: p.description,
      keywords,
      pattern: NEVER,
      ...(p.minEntropy === undefined ? {} : { minEntropy: p.minEntropy }),
      truePositives: [],
      falsePositives: [],
    };
    compiled.push({
      pattern: p.pattern,
      keywordGroup:
        keywords.length === 0
          ? -1
          : keywordGroupOf(keywordGroups, JSON.stringify([...new Set(keywords)].sort())),
      rule: standIn(rule, order + index, action, orgAllowlists(p.id)),
    });
  });
  return compiled;
}

/**
 * A pseudonymized value comes back to the client in the answer, and the client sends it again with the
 * history of the next turn, wherever the model put it: without the words around it that let a rule find it
 * (`passport number 912803456`, an SSN without dashes after `SSN`). A stand-in is only safe when its original
 * would be found again on its own, so a finding whose value the same rule does not find alone is redacted
 * instead (irreversibly). One scan of the value per such finding.
 */
function reversibleOnlyWhereFoundAlone(detector: Detector): Detector {
  return {
    scan(text: string): Finding[] {
      const findings = detector.scan(text);
      for (let i = 0; i < findings.length; i++) {
        const f = findings[i] as Finding;
        if (f.action !== 'pseudonymize') continue;
        const alone = detector.scan(` ${text.slice(f.start, f.end)} `);
        if (!alone.some((g) => g.rule === f.rule && g.start === 1 && g.end === f.end - f.start + 1))
          findings[i] = { ...f, action: 'redact' };
      }
      return findings;
    },
  };
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

  const orgAllowlists = compileAllowlists(options.allowlist ?? []);
  const keywordGroups = new Map<string, number>();
  const active = compile(rules, categoryActions, ruleActions, keywordGroups, orgAllowlists);
  const ids = new Set(rules.map((r) => r.id));
  const dictionaryList = options.dictionaries ?? [];
  const dictionaries = compileDictionaries(
    dictionaryList,
    ids,
    rules.length,
    categoryActions,
    ruleActions,
    orgAllowlists,
  );
  const patterns = compilePatterns(
    options.patterns ?? [],
    ids,
    rules.length + (Array.isArray(dictionaryList) ? dictionaryList.length : 0),
    categoryActions,
    ruleActions,
    keywordGroups,
    orgAllowlists,
  );
  const pseudonymizes = [...active, ...dictionaries.map((d) => d.rule), ...patterns.map((p) => p.rule)].some(
    (c) => c.action === 'pseudonymize',
  );
  const dictionaryMatches: DictionaryMatch[] = [];
  const keywordsByGroup: string[][] = [];
  const withPositions: boolean[] = [];
  for (const [key, group] of keywordGroups) {
    keywordsByGroup[group] = JSON.parse(key) as string[];
    withPositions[group] = false;
  }
  for (const c of active)
    if (c.sticky !== undefined && c.keywordGroup >= 0) withPositions[c.keywordGroup] = true;
  const matcher = buildKeywordMatcher(keywordsByGroup, withPositions);
  const digitRuns = buildDigitRunIndex(
    active.filter((c) => c.digitRunRule >= 0).map((c) => c.rule.digitRuns as readonly DigitRunAnchor[]),
  );
  const digitRunRules = active.some((c) => c.digitRunRule >= 0);
  let edgeLoss = 0;
  for (const c of active) if (c.sticky !== undefined) edgeLoss = Math.max(edgeLoss, c.edgeLoss);
  let windows = new Int32Array(64);
  const positions = new Int32Array(1);

  const detector: Detector = {
    scan(text: string): Finding[] {
      if (typeof text !== 'string') fail('scan(text): text must be a string');
      if (text.length === 0 || (active.length === 0 && dictionaries.length === 0 && patterns.length === 0))
        return [];
      const candidates: Candidate[] = [];
      for (const d of dictionaries) {
        dictionaryMatches.length = 0;
        d.matcher.scan(text, dictionaryMatches);
        for (const m of dictionaryMatches) {
          const allow = d.rule.orgAllowlist;
          if (allow === undefined || !allowedByOrganisation(allow, text.slice(m.start, m.end)))
            candidates.push({ r: d.rule, start: m.start, end: m.end });
        }
      }
      // Positions a rule may try before one global run is cheaper. Distinct hits hold distinct positions, so
      // past `budget + edgeLoss` hits no rule needs them.
      const budget = Math.floor(text.length / ATTEMPT_COST_IN_CHARS);
      const keywordHits = keywordGroups.size === 0 ? 0 : matcher.scan(text, budget + edgeLoss);
      // Past `budget` candidate starts, one global run is cheaper (as for windows).
      const runHits = digitRunRules ? digitRuns.scan(text, budget) : 0;
      const counts = matcher.counts;
      for (const p of patterns) {
        if (p.keywordGroup >= 0 && (keywordHits === 0 || counts[p.keywordGroup] === 0)) continue;
        p.pattern.forEachMatch(text, (start, end) => {
          if (accepts(p.rule, text.slice(start, end))) candidates.push({ r: p.rule, start, end });
        });
      }
      if (keywordHits === 0 && runHits === 0 && candidates.length === 0) return [];
      for (const c of keywordHits === 0 && runHits === 0 ? [] : active) {
        if (c.digitRunRule >= 0) {
          const starts = digitRuns.counts[c.digitRunRule] as number;
          if (starts > budget) runGlobal(c, text, 0, candidates);
          else if (starts > 0) runAt(c, text, digitRuns.starts(c.digitRunRule), starts, candidates);
          continue;
        }
        if (c.keywordGroup < 0 || keywordHits === 0) continue;
        const count = counts[c.keywordGroup] as number;
        if (count === 0) continue;
        if (c.sticky === undefined || count - c.edgeLoss > budget) {
          runGlobal(c, text, 0, candidates);
          continue;
        }
        if (windows.length < 2 * count) windows = new Int32Array(4 * count);
        const hits = matcher.starts(c.keywordGroup);
        const w = mergeWindows(hits, count, c.startMin, c.startMax, text.length, windows, positions);
        runNear(c, text, windows, w, positions[0] as number, candidates);
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
  return pseudonymizes ? reversibleOnlyWhereFoundAlone(detector) : detector;
}
