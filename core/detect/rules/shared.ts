/**
 * Pieces shared by rule files. Every pattern in this folder keeps to one discipline, so that no input can
 * make a scan super-linear: bounded quantifiers only, no quantified group that contains another variable
 * quantifier, and token boundaries written as lookarounds (`(?<![A-Za-z0-9])`) so that a long run of token
 * characters starts at most one attempt.
 */

/** Keywords for rules that need a digit: the automaton reports them whenever the text has one. */
export const DIGIT_KEYWORDS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const MARKER_WORDS = [
  '_here',
  '-here',
  'placeholder',
  'changeme',
  'change_me',
  'redacted',
  'dummy',
  'example',
  'sample',
  'notreal',
  'not_real',
  'fake',
];
const capitalised = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
/** A word that marks a value as a stand-in, in lower, upper or capitalised case. */
const PLACEHOLDER_MARKER = new RegExp(
  `(?:${[...MARKER_WORDS, ...MARKER_WORDS.map((w) => w.toUpperCase()), ...MARKER_WORDS.map(capitalised)].join('|')})`,
);

/**
 * Values that are templates, references or stand-ins rather than credentials: `${TOKEN}`, `{{ token }}`,
 * `<your-key>`, `%s`, `$TOKEN`, `xxxx`, `****`, `...`, `changeme`, `your_api_key_here` and friends.
 */
export const PLACEHOLDER_ALLOWLIST: readonly RegExp[] = [
  /^\$\{[^}]*\}?$/, // ${TOKEN}
  /^\$\(/, // $(command)
  /^\{\{.*\}?\}?$/, // {{ token }}
  /^<[^>]*>?$/, // <your-key>
  /^\[[^\]]*\]$/, // [token]
  /^%[sd]$|^%\(/, // printf-style
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $TOKEN
  /^(?:x{3,}|X{3,}|\*{3,}|\.{3,}|#{3,}|-{3,}|_{3,}|0{6,})/,
  /(?:x{5,}|X{5,}|\*{5,}|#{4,}|\.{3})$/,
  /^(?:replace|insert|enter|put|add)[-_ ]?(?:with|your|the|me|a)[-_ ]/i,
  // your_api_key, mySecret (but not mySecret789: digits after the word make it a value)
  /^(?:your|my|insert|enter|replace|put|add|some)[-_ ]?(?:own[-_ ]?)?(?:api[-_ ]?)?(?:key|token|secret|pass|pw|value|here|password)(?![0-9])/i,
  // Marker words, written in one case (`example`, `EXAMPLE`, `Example`): a random token spells `FaKe` by chance.
  PLACEHOLDER_MARKER,
];

/** Token boundary characters for base64url-ish tokens. */
export const TOKEN_START = '(?<![A-Za-z0-9_-])';
export const TOKEN_END = '(?![A-Za-z0-9_-])';
