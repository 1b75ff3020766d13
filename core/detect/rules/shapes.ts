/**
 * The two shapes most vendor rules take, as small builders for every vendor file (gitleaks' `GenerateUniqueTokenRegex` and
 * `GenerateSemiGenericRegex`). Each builder returns a plain `Rule`; the vendor files give the format and
 * their own examples.
 *
 * Both keep the folder's discipline (./shared.ts): bounded quantifiers, no quantified group holding a
 * variable quantifier, token boundaries as lookarounds, and every match starting at a keyword.
 */
import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** `asana` → `[aA][sS][aA][nN][aA]`: a case-insensitive key name without making the value case-insensitive. */
export function anyCase(word: string): string {
  let out = '';
  for (const ch of word) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    out += lower === upper ? ch.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&') : `[${lower}${upper}]`;
  }
  return out;
}

interface Examples {
  readonly truePositives: readonly string[];
  readonly falsePositives: readonly string[];
}

export interface TokenSpec extends Examples {
  readonly id: string;
  readonly description: string;
  /** Lowercase literals; every match of `body` starts with one of them. */
  readonly keywords: readonly string[];
  /** Regex source of the whole token, starting with a keyword. */
  readonly body: string;
  /** `i` when the token's letters may come in either case (gitleaks' `(?i)` tokens). */
  readonly flags?: string;
  readonly minEntropy?: number;
  /** Characters that may not come right before the token (a character class body; default base64url). */
  readonly boundary?: string;
  /** Characters that may not come right after it (default: `boundary`; '' when `body` ends each alternative itself). */
  readonly after?: string;
  /** Extra placeholder patterns beside PLACEHOLDER_ALLOWLIST. */
  readonly allowlist?: readonly RegExp[];
}

/** A token with a distinctive prefix, standing on its own between non-token characters. */
export function prefixedToken(spec: TokenSpec): Rule {
  const edge = spec.boundary ?? 'A-Za-z0-9_-';
  const after = spec.after ?? edge;
  const end = after === '' ? '' : `(?![${after}])`;
  return {
    id: spec.id,
    category: 'secret',
    description: spec.description,
    keywords: spec.keywords,
    matchStart: [0, 0],
    pattern: new RegExp(`(?<![${edge}])(?:${spec.body})${end}`, spec.flags ?? ''),
    ...(spec.minEntropy === undefined ? {} : { minEntropy: spec.minEntropy }),
    allowlist: [...(spec.allowlist ?? []), ...PLACEHOLDER_ALLOWLIST],
    truePositives: spec.truePositives,
    falsePositives: spec.falsePositives,
  };
}

/**
 * The pattern of gitleaks' semi-generic rules, as its vendor rules (l–z here) were written: a vendor name (a
 * regex source), up to 20 more key-name characters, an assignment (`=`, `:`, `:=`, `=>`, `?=`, `||`, `>`,
 * `,`), up to 5 quotes, spaces or `=`, then the value (a regex source without groups) in group 1, ending
 * where no character of `after` follows. Case-insensitive unless `flags` says otherwise. Unlike
 * `keyedSecret`, the name may start inside a word (`mylookerkey`) and the value may end at any other
 * character; the two shapes find different things, so each rule keeps the one its examples were measured with.
 */
export function assignedAfterName(
  name: string,
  value: string,
  options: { readonly after?: string; readonly flags?: string } = {},
): RegExp {
  return new RegExp(
    `${name}[\\w .-]{0,20}[\\s'"]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\s'"\\x60=]{0,5}(${value})(?![${options.after ?? 'A-Za-z0-9_-'}])`,
    options.flags ?? 'i',
  );
}

export interface KeyedSpec extends Examples {
  readonly id: string;
  readonly description: string;
  /** Lowercase vendor or key names that must come before the value, in any case: the rule's keywords. */
  readonly names: readonly string[];
  /** Regex source of the value (no capture groups). */
  readonly value: string;
  /** The value's letter ranges (`a-z`, `a-f`) take either case. */
  readonly valueCaseInsensitive?: boolean;
  readonly minEntropy?: number;
  readonly allowlist?: readonly RegExp[];
}

/**
 * Name of the key after the vendor name (`_client_secret`, `Token`, ` api key`), at most 30 characters,
 * then quotes or escapes and an assignment: `=`, `:=`, `::=`, `?=`, `+=`, `=>`, `:`, `>` (XML), `(`, `,`
 * (a call or a list), `|`. Then up to 8 quotes, spaces, newlines (a YAML block, an XML element) before the
 * value, which must end at a quote, space, `;`, `\`, `<`, `,`, `)` or the end of the text.
 */
const KEY_TAIL = '[\\w \\t.-]{0,30}[\\\\"\'`]{0,4}[ \\t]{0,5}(?:[<>?+]?=|:{1,3}=|=>|>|:|\\(|,|\\|)';
/**
 * The name starts a word or a camelCase hump: `etsy_key`, `ETSY_KEY`, `myEtsyKey`, but not the `etSy` inside
 * `SetSysctl`.
 */
const NAME_START = '(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))';
const VALUE_LEAD = '[\\\\"\'`\\s=|>]{0,8}';
const VALUE_END = '(?=["\'`\\s;\\\\<,)]|$)';

/**
 * A value without a distinctive prefix, a secret only next to its vendor's name: `asana_client_id = "…"`,
 * `<jiraToken>…</jiraToken>`, `"artifactory", "…"` (gitleaks' semi-generic rules). The finding is the value.
 */
export function keyedSecret(spec: KeyedSpec): Rule {
  const names = spec.names.map(anyCase).join('|');
  // Without the `i` flag, so that NAME_START sees case: lowercase ranges take their uppercase twins.
  const value =
    spec.valueCaseInsensitive === true
      ? spec.value.replace(/a-([a-z])/g, (_m: string, to: string) => `a-${to}A-${to.toUpperCase()}`)
      : spec.value;
  return {
    id: spec.id,
    category: 'secret',
    description: spec.description,
    keywords: spec.names,
    matchStart: [0, 0],
    pattern: new RegExp(`${NAME_START}(?:${names})${KEY_TAIL}${VALUE_LEAD}(${value})${VALUE_END}`),
    secretGroup: 1,
    ...(spec.minEntropy === undefined ? {} : { minEntropy: spec.minEntropy }),
    allowlist: [...(spec.allowlist ?? []), ...PLACEHOLDER_ALLOWLIST],
    truePositives: spec.truePositives,
    falsePositives: spec.falsePositives,
  };
}
