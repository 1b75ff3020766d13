/**
 * The stand-in grammar: `[[<rule>_<id>]]`, e.g. `[[email_k7q2m9wd]]`.
 *
 * - Typed: the rule id is in it, so the model knows it stands for an e-mail address and writes about it
 *   as one; `[[phone-number_3x9k2m]]` reads as a phone number.
 * - Copied faithfully: ASCII letters, digits, `-`, `_` and square brackets only, one word without spaces
 *   (models treat it as an opaque identifier, like a variable name). None of these characters is ever
 *   escaped by a JSON encoder (not even `/`, `<`, `>` or `&`, which some encoders escape), so a stand-in
 *   appears byte for byte in every JSON string, in JSON text inside JSON strings (tool-call arguments) and
 *   in every stream fragment that carries it: a streaming scanner can look for it in decoded text and in
 *   raw JSON text alike.
 * - Never in real text: a double square bracket, a kebab-case rule id, `_`, an id of 8 to 16 characters
 *   of a lowercase base-32 alphabet, a double closing bracket. And a text that happens to match the
 *   grammar is still left alone unless the daemon issued exactly that stand-in.
 * - Recognisable by a short fixed opening, `[[`: a scanner holds back only text from a `[` at the very end
 *   of what it has, or from a `[[` whose continuation still fits the grammar; any other character lets the
 *   text go at once. The longest stand-in is MAX_STAND_IN_LENGTH characters, which bounds what is held.
 */

export const STAND_IN_OPENING = '[[';
export const MAX_RULE_LENGTH = 64;
export const MIN_ID_LENGTH = 8;
export const MAX_ID_LENGTH = 16;
export const MAX_STAND_IN_LENGTH = 2 + MAX_RULE_LENGTH + 1 + MAX_ID_LENGTH + 2;

/** Crockford's base-32 alphabet, lowercase: no i, l, o, u (nothing to misread or to spell words with). */
export const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `matchStandIn` result: the text ends while it could still become a stand-in. */
export const PARTIAL = -2;
/** `matchStandIn` result: not a stand-in here. */
export const NONE = -1;

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const UNDERSCORE = 0x5f;
const HYPHEN = 0x2d;

function isRuleChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === HYPHEN;
}

const ID_CHARS = new Uint8Array(128);
for (const ch of ID_ALPHABET) ID_CHARS[ch.charCodeAt(0)] = 1;

function isIdChar(c: number): boolean {
  return c < 128 && ID_CHARS[c] === 1;
}

/**
 * Whether a stand-in starts at `text[at]`: the index just past it, `PARTIAL` when `text` ends while the
 * characters from `at` are still a prefix of one, or `NONE`. Reads at most MAX_STAND_IN_LENGTH characters.
 */
export function matchStandIn(text: string, at: number): number {
  const n = text.length;
  let p = at;
  if (text.charCodeAt(p) !== OPEN_BRACKET) return NONE;
  if (++p === n) return PARTIAL;
  if (text.charCodeAt(p) !== OPEN_BRACKET) return NONE;
  if (++p === n) return PARTIAL;
  const ruleStart = p;
  while (p < n && p - ruleStart <= MAX_RULE_LENGTH && isRuleChar(text.charCodeAt(p))) p++;
  const ruleLength = p - ruleStart;
  if (ruleLength > MAX_RULE_LENGTH) return NONE;
  if (p === n) return PARTIAL;
  if (ruleLength === 0 || text.charCodeAt(p) !== UNDERSCORE) return NONE;
  const idStart = ++p;
  while (p < n && p - idStart <= MAX_ID_LENGTH && isIdChar(text.charCodeAt(p))) p++;
  const idLength = p - idStart;
  if (idLength > MAX_ID_LENGTH) return NONE;
  if (p === n) return PARTIAL;
  if (idLength < MIN_ID_LENGTH || text.charCodeAt(p) !== CLOSE_BRACKET) return NONE;
  if (++p === n) return PARTIAL;
  if (text.charCodeAt(p) !== CLOSE_BRACKET) return NONE;
  return p + 1;
}

/** Whether `text` is exactly one stand-in (grammar only; whether it was issued is the vault's business). */
export function isStandIn(text: string): boolean {
  return matchStandIn(text, 0) === text.length;
}

/** The stand-in for `rule` with `id`. The rule id must be kebab-case; a longer one is cut to fit. */
export function formatStandIn(rule: string, id: string): string {
  return `[[${rule.length > MAX_RULE_LENGTH ? rule.slice(0, MAX_RULE_LENGTH) : rule}_${id}]]`;
}

/** Base-32 (ID_ALPHABET) of `bytes`, `length` characters (5 bits each; `bytes` must hold enough). */
export function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    buffer = (buffer << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      bits -= 5;
      out += ID_ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
