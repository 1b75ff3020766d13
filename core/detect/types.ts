/** What a finding is about; decides the default action. */
export type Category = 'secret' | 'pii' | 'custom';

/**
 * What the pipeline does with a finding: `redact` (irreversible `[REDACTED:<rule>]`), `pseudonymize` (a
 * stable stand-in the daemon maps back to the original in answers; see core/pseudonym), `block` (refuse the
 * request) or `allow`.
 */
export type Action = 'redact' | 'pseudonymize' | 'block' | 'allow';

/**
 * A detector rule: a small declarative object, gitleaks-style, that carries its own examples.
 * The engine runs `pattern` only when one of `keywords` occurs in the text (one prefilter pass).
 */
export interface Rule {
  /** Stable kebab-case id; shown in placeholders (`[REDACTED:<id>]`), findings and audit events. */
  readonly id: string;
  readonly category: Category;
  readonly description: string;
  /** Lowercase literals, at least one; the rule's regex runs only when one occurs (case-insensitive). */
  readonly keywords: readonly string[];
  /** Must not backtrack catastrophically: bounded quantifiers, no nested repetition. No `g`/`y` flag needed. */
  readonly pattern: RegExp;
  /**
   * Where a match of `pattern` can start, as `[min, max]` offsets in JS string indices from the start of a
   * keyword occurrence (negative: before the keyword). The regex match itself is meant (`RegExpExecArray
   * .index`), not the `secretGroup` or `startGroup` span, and lookarounds don't count: they see the whole
   * text anyway. With it the engine tries `pattern` only at those positions around each keyword hit instead
   * of over the whole text, so it must hold for EVERY match the regex can make: `[0, 0]` when each match
   * starts with a keyword (`AKIA...`, or `@` for an e-mail, whose local part sits in a lookbehind), `[-4, 0]`
   * for `aws_secret_access_key` found through `secret`, `[-2, -2]` for an IBAN found through its check digits.
   * Omit it when there is no such bound: the regex then runs over the whole text when a keyword occurs.
   * test/detect/rules.test.ts checks it against every match in the rule's examples and mutations of them.
   */
  readonly matchStart?: readonly [min: number, max: number];
  /**
   * For a rule whose every match sits at a run of ASCII digits (cards, phones, IP addresses, national ids):
   * where its matches can start relative to such runs, instead of `matchStart`. A run is maximal: no digit
   * right before or after it. The engine finds the runs in one pass shared by all these rules and tries the
   * pattern only at the positions some anchor allows, which on text full of numbers (logs) are a small part
   * of the digits. Like `matchStart` it must hold for EVERY match the regex can make: each match must start at
   * a position one of the anchors proposes for some run. `keywords` are then the digits (or some of them);
   * they say which rules need a digit and are not run through the keyword automaton.
   * test/detect/rules.test.ts checks the anchors against every match in the rule's examples and mutations.
   */
  readonly digitRuns?: readonly DigitRunAnchor[];
  /** Capture group holding the value to redact (default: the whole match). */
  readonly secretGroup?: number;
  /**
   * Capture group where the finding starts, for a regex anchored on a later literal for speed: the group sits
   * in a lookbehind right after that literal (e-mail: the match starts at `@`, the local part is captured
   * behind it). The finding then runs to the end of `secretGroup` (or of the match), and `allowlist`,
   * `minEntropy` and `validate` see that whole span.
   */
  readonly startGroup?: number;
  /** Minimum Shannon entropy (bits per char) of the value, for generic rules. */
  readonly minEntropy?: number;
  /** Checksum or structure check on the value (Luhn, mod-97, JWT header...). */
  readonly validate?: (value: string) => boolean;
  /** Values matching any of these are placeholders or examples and are left alone. */
  readonly allowlist?: readonly RegExp[];
  /**
   * The rule's action when `ruleActions` names no other, in place of its category's: `allow` makes a rule that
   * is off until an organisation turns it on (private IP addresses are a policy choice, not a leak).
   */
  readonly defaultAction?: Action;
  /** Texts in which the rule must find something (synthetic examples only). */
  readonly truePositives: readonly string[];
  /** Near misses the rule must leave alone. */
  readonly falsePositives: readonly string[];
}

/**
 * One shape of digit run a match can start at, as necessary conditions on the run (`length`, the characters
 * right before and after it) and where the match starts. Character classes are one-character RegExps tested
 * on one ASCII character; a non-ASCII character passes every class (the conditions only ever need to let
 * through more than the pattern matches). A `us-ssn` written 3-2-4 starts at a run of exactly 3 digits with
 * no word character, `.` or `-` before it and a separator after it:
 * `{ matchStart: [0, 0], length: [3, 3], notBefore: /[\w.-]/, after: /[- .]/ }`.
 */
export interface DigitRunAnchor {
  /**
   * Offsets of the match start from the run's first digit, `[min, max]`, as in `Rule.matchStart`; with
   * `fromEnd`, from the index just past its last digit.
   */
  readonly matchStart: readonly [min: number, max: number];
  readonly fromEnd?: boolean;
  /** The run's length in digits, `[min, max]` (max may be `Infinity`); default any length. */
  readonly length?: readonly [min: number, max: number];
  /** The character right before the run is in this class (so the run is not at the start of the text). */
  readonly before?: RegExp;
  /** The character right before the run, if any (the run may start the text), is not in this class. */
  readonly notBefore?: RegExp;
  /** The character right after the run is in this class (so the run does not end the text). */
  readonly after?: RegExp;
  /** The character right after the run, if any, is not in this class. */
  readonly notAfter?: RegExp;
  /** The character at the match start is in this class (with `matchStart` `[0, 0]`: the run's first digit). */
  readonly at?: RegExp;
  /** The character before the match start, if any (the match may start the text), is not in this class. */
  readonly notPrecededBy?: RegExp;
  /**
   * Every character between the match start and the run (from its first digit, or its end with `fromEnd`) is
   * in this class: the window is cut at the first other character either way.
   */
  readonly through?: RegExp;
  /** The next run of digits starts at most this many characters after this one ends (1: right after one). */
  readonly nextRunWithin?: number;
}

export interface Finding {
  readonly rule: string;
  readonly category: Category;
  /** JavaScript string indices into the scanned text, `end` exclusive. */
  readonly start: number;
  readonly end: number;
  readonly action: Action;
}

/**
 * An organisation's list of terms (project code names, customer names, internal hosts), matched
 * case-insensitively on word boundaries, all lists in one pass however many terms they hold.
 */
export interface Dictionary {
  /** Stable kebab-case id, used like a rule id (placeholders, findings, actions). */
  readonly id: string;
  readonly description: string;
  /** Default `custom`. */
  readonly category?: Category;
  readonly terms: readonly string[];
}

/**
 * A pattern that matches in time linear in the text whatever its source and input (RE2 semantics, no
 * backtracking): the only kind of pattern the engine accepts from configuration. See ./linear-pattern.ts.
 */
export interface LinearPattern {
  readonly source: string;
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /**
   * Calls `onMatch` with the span (JS string indices, end exclusive) of each leftmost-first, non-overlapping,
   * non-empty match, narrowed to the pattern's capture group when it has one.
   */
  forEachMatch(text: string, onMatch: (start: number, end: number) => void): void;
}

/** An organisation's own pattern (ticket ids, internal host names, customer numbers), run beside the rules. */
export interface CustomPattern {
  /** Stable kebab-case id, used like a rule id (placeholders, findings, actions, allowlists). */
  readonly id: string;
  readonly description: string;
  /** Default `custom`. */
  readonly category?: Category;
  readonly pattern: LinearPattern;
  /** Lowercase ASCII literals: when given, the pattern runs only on texts where one occurs. */
  readonly keywords?: readonly string[];
  /** Minimum Shannon entropy (bits per char) of a match. */
  readonly minEntropy?: number;
}

/** Values an organisation knows are safe (a public demo key, its own test card): never reported. */
export interface AllowlistEntry {
  /** Ids of the rules, dictionaries and patterns it applies to; every one when absent. */
  readonly rules?: readonly string[];
  /** Exact values. */
  readonly values?: readonly string[];
  /** A value matching one of these anywhere is left alone. */
  readonly patterns?: readonly LinearPattern[];
}

export interface DetectorOptions {
  /** Rules to run; defaults to the built-in set. */
  readonly rules?: readonly Rule[];
  /** Action per category (default: every category `redact`). */
  readonly categoryActions?: Partial<Record<Category, Action>>;
  /** Organisation dictionaries, run beside the rules. */
  readonly dictionaries?: readonly Dictionary[];
  /** Organisation patterns, run beside the rules. */
  readonly patterns?: readonly CustomPattern[];
  /** Organisation allowlists, on top of each rule's own. */
  readonly allowlist?: readonly AllowlistEntry[];
  /** Action per rule, dictionary or pattern id, overriding the rule's default and its category's action. */
  readonly ruleActions?: Readonly<Record<string, Action>>;
}

export interface Detector {
  /** Findings sorted by `start`, non-overlapping, `allow` findings omitted. */
  scan(text: string): Finding[];
}
