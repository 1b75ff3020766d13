import type { Rule } from '../types.js';
import { shannonEntropy } from '../entropy.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';
import { PASSWORD_WORDS } from './url-credentials.js';

const NOT_A_VALUE =
  /^(?:true|false|null|nil|none|undefined|yes|no|on|off|required|optional|string|str|bool|boolean|int|integer|number|object|any|bytes|secret|env|environment)$/i;

/** Words of prose or UI text: a quoted value with these is a message (`"Enter your password"`), not a passphrase. */
const PROSE_WORD =
  /(?:^|\s)(?:your|enter|please|must|should|invalid|incorrect|required|characters?|is|are|be|the|for|of|to|this|that|not|cannot|can't|if|when|was|were|will)(?=\s|$)/i;

/**
 * An alphabet rather than a secret: runs of ascending characters make up the whole value
 * (`ABCDEFGHIJ...0123456789`). Sample values such as `abcd1234abcd1234` are left to the placeholder lists:
 * fixtures of real scanners use them as stand-ins for secrets that must be found.
 */
export function isAlphabet(value: string): boolean {
  if (value.length < 8) return false;
  let inRuns = 0;
  let run = 1;
  for (let i = 1; i <= value.length; i++) {
    const ascending = i < value.length && value.charCodeAt(i) === value.charCodeAt(i - 1) + 1;
    if (ascending) run++;
    else {
      if (run >= 8) inRuns += run;
      run = 1;
    }
  }
  if (inRuns > 0 && value.length - inRuns <= 2) return true;
  return false;
}

/**
 * How often a value switches between letters and digits, or from lower to upper case other than at the start of
 * a camelCase word (an upper-case letter followed by two lower-case ones).
 */
function caseSwitches(value: string): number {
  let n = 0;
  for (let i = 1; i < value.length; i++) {
    const a = value.charCodeAt(i - 1);
    const b = value.charCodeAt(i);
    const aLower = a >= 97 && a <= 122;
    const aDigit = a >= 48 && a <= 57;
    const bUpper = b >= 65 && b <= 90;
    const bDigit = b >= 48 && b <= 57;
    const aLetter = aLower || (a >= 65 && a <= 90);
    const bLetter = bUpper || (b >= 97 && b <= 122);
    const wordStart = bUpper && /^[a-z]{2}/.test(value.slice(i + 1, i + 3));
    if ((aLower && bUpper && !wordStart) || (aLetter && bDigit) || (aDigit && bLetter)) n++;
  }
  return n;
}

/**
 * Whether a value reads as a literal rather than a code expression, a type or a template: checks for the shapes
 * that code takes when a secret-named variable is assigned or annotated (`!this.ok`, `(a`, `string):`,
 * `a=null`, `e}function`, `Foo_1`, `${base}.5`, `>=3.9 <4`, `Options<T>`).
 */
function looksLikeLiteral(value: string): boolean {
  if (/^[!([{][A-Za-z_$][\w$]{0,64}(?:[.:,=]|$)/.test(value)) return false; // !this.x, (a, [b, {c:d
  if (/^<[\w$|., ]{1,64}>/.test(value)) return false; // <string>: a type in documentation
  if (/^[\w$.]{1,128}\)[:;,.]?$/.test(value)) return false; // string):  (a parameter's type)
  const assigned = /^([A-Za-z_$][\w$.]{0,128})={1,3}[^=]/.exec(value); // a=b=null: chained assignment
  if (assigned !== null && caseSwitches(assigned[1] as string) * 8 < (assigned[1] as string).length)
    return false;
  if (/[});]\{?(?:function|return|var|let|const|if|else|for|while|this|new|throw)\b|\)\{/.test(value))
    return false; // minified code
  if (/\$\{[A-Za-z_][\w.]{0,64}\}/.test(value)) return false; // ${interpolation}
  if (/^(?:[<>]=?|[~^])\d/.test(value)) return false; // a version range
  if (/^[A-Za-z_$][\w$.]{0,64}<[A-Za-z_$]/.test(value)) return false; // Options<T>: a generic type
  // Identifiers: HTMLElement, TSPrivateKeyword, CompositeKey_1.
  if (/^[A-Z]{1,5}(?:[A-Z][a-z]{1,32}){1,8}(?:_\d{1,3})?$/.test(value)) return false;
  if (/^[A-Z]?[a-z]{1,32}(?:[A-Z][a-z]{0,32}){1,8}_\d{1,3}$/.test(value)) return false;
  return true;
}

/**
 * Whether an assigned value looks like a credential rather than code, a name or a reference. Shared by the
 * generic rules; each check is a bounded regex on a value of at most a few hundred characters.
 */
export function looksLikeSecretValue(value: string): boolean {
  if (!/[A-Za-z0-9]/.test(value)) return false; // punctuation only
  if (/^\d+$/.test(value)) return false; // counts, ports, ids
  if (NOT_A_VALUE.test(value) || PASSWORD_WORDS.test(value)) return false;
  // process.env.X, exports.id_pkcs9_at_x: dotted names whose parts are words; a token's parts switch case
  // and mix digits in all along.
  const dotted = /^[A-Za-z_$][\w$]{0,64}(?:\.[A-Za-z_$][\w$]{0,64}){1,8}$/.test(value);
  if (dotted && caseSwitches(value) * 8 < value.length) return false;
  if (/^[A-Za-z_$][\w$.]{0,128}[[(]/.test(value)) return false; // os.getenv(...), config["key"]
  if (/^[A-Za-z_$][\w$]{0,64}(?:\??\.[A-Za-z_$][\w$]{0,64}){0,8}\?\./.test(value)) return false; // a?.b
  if (/^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(value)) return false; // file paths
  if (value.includes('://')) return false; // URLs: url-credentials covers their userinfo
  if (/^[a-z]{1,32}(?:[_-][a-z]{1,32}){0,8}$/.test(value)) return false; // my-secret-name, snake_case
  if (/^[A-Z]{1,32}(?:_[A-Z0-9]{1,32}){0,8}$/.test(value)) return false; // ENV_VAR_NAME
  // camelCaseName, PascalCaseName, userId2: words, digits only at their ends (a token mixes them in).
  if (/^[a-z]{1,32}(?:[A-Z][a-z]{0,32}[0-9]{0,4}){1,8}$/.test(value)) return false;
  if (/^[A-Z][a-z]{1,32}[0-9]{0,4}(?:[A-Z][a-z]{0,32}[0-9]{0,4}){0,8}$/.test(value)) return false;
  // HMAC-SHA256, AES-256-GCM: algorithm and standard names (a licence-style key mixes digits into its groups).
  if (/^[A-Z]{2,10}[0-9]{0,3}(?:-[A-Z]{0,10}[0-9]{0,3}){1,4}$/.test(value)) return false;
  if (/(?:[A-Z][a-z]{3,16}){3}/.test(value)) return false; // ...AgencyIdentificationCodeType: an identifier
  if (/passw|secret|token|api[_-]?key|private[_-]?key|credential/i.test(value)) return false; // a name
  if (!looksLikeLiteral(value)) return false;
  if (/\.(?:json|ya?ml|pem|key|txt|env|crt|cfg|ini|toml|conf|properties|js|ts|py)$/i.test(value))
    return false;
  if (/^[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,64}$/.test(value)) return false; // an e-mail address
  if (/^%[A-Za-z_]{1,64}%$|^%\([A-Za-z_]{1,64}\)s$/.test(value)) return false; // %PASSWORD%, %(password)s
  if (value.includes(' ')) {
    // A quoted passphrase: a few short words, not a sentence (nor `<Scheme> <token>`, which vendor rules
    // and the header rules read); three plain words or fewer read as a phrase, not a passphrase.
    const parts = value.split(' ');
    const words = parts.length;
    if (words > 6 || PROSE_WORD.test(value) || parts.some((w) => w.length > 24)) return false;
    if (words < 4 && /^[A-Za-z ]+$/.test(value)) return false;
  }
  if (/^\{[A-Za-z_][\w.-]{0,64}\}$/.test(value)) return false; // {SumoAccessKey}: a template slot
  if (isAlphabet(value)) return false;
  // At least two of: lowercase, uppercase, digit, symbol.
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes >= 2;
}

/**
 * Key names of secrets. `pass`, `cred(s)` and `auth` only as whole words (`db_pass`, `creds`, `user_auth`; not
 * `compass`, `author` or `oauth`).
 */
const SECRET_KEY_NAME =
  '(?:pass(?:word|wd|phrase)|(?<![a-z])pass(?![a-z])|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key|credentials?|(?<![a-z])creds?(?![a-z])|(?<![a-z])auth(?![a-z]))';
/** The same names, without lookarounds, for use inside a lookbehind. */
const SECRET_KEY_NAME_PLAIN =
  '(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth(?:[_.-]?key)?|private[_.-]?key|credentials?|creds?)';

/**
 * Names that say the value is public or not real: public and publishable keys are meant to be shared, CSRF
 * tokens are per-session form values, and `fakeToken`, `exampleSecret` or `invalidPassword` hold test data.
 */
const NOT_SECRET_PREFIX =
  '(?:public|publishable|csrf|xsrf|fake|dummy|mock|example|sample|invalid|nonmatching|wrong)[_.-]?';

/** Key names that end like this describe a secret without being one (`token_id`, `password_policy`). */
const NOT_SECRET_SUFFIX =
  '(?<!id|ids|name|names|type|types|count|counts|len|length|url|uri|path|file|field|hash|ttl|expiry|expires|expiration|header|policy|prompt|label|format|limit|size|mode|version|endpoint|usage|enabled|required|rotation|timeout|min|max|regex|pattern|hint|secrets|tokens)';

/**
 * A value after the separator: in quotes (group `q`, then everything up to the same quote on the line, spaces
 * included), or bare up to whitespace, a quote, `,`, `;` or `&`. A bare value followed by `;` is a code expression
 * (`secret = computeSecret();`) and is left alone; so are a bare value after `=>` and one that ends in `)`
 * (`init(token: value)`, an argument).
 */
const VALUE =
  '(?<q>["\'`]?)((?<=["\'`])(?:(?!\\k<q>)[^\\n]){4,256}(?=\\k<q>)|(?<!["\'`])[^\\s"\'`,;&]{4,256}(?<!\\))(?![^\\s"\'`,;&])(?!;))';

const GENERIC_KEYWORDS: readonly string[] = [
  'pass',
  'pwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'api.key',
  'access_key',
  'accesskey',
  'access-key',
  'access.key',
  'auth_key',
  'authkey',
  'auth-key',
  'auth.key',
  'private_key',
  'privatekey',
  'private-key',
  'private.key',
  'cred',
  'auth',
];

/** A password that is a template, a reference or a stand-in rather than a credential. */
function isPlaceholderPassword(password: string): boolean {
  return (
    PASSWORD_WORDS.test(password) ||
    PLACEHOLDER_ALLOWLIST.some((a) => a.test(password)) ||
    /^(.)\1{0,64}$/.test(password) || // yyy, 1111
    /^\$/.test(password) || // $PASS, ${PASS}, $(cat pass.txt)
    /^\{[A-Za-z_ .$]{0,64}\}$|^\[[^\]]{0,64}\]$|>$/.test(password) // {PASS}, [PASSWORD], <user:password>
  );
}

/**
 * Decodes `Basic` credentials: `user:password`, where a real password, or an empty one (an API key sent as the
 * user name, `key:`), makes it a credential. `user:password`-style stand-ins are not.
 */
function isBasicCredential(value: string): boolean {
  let decoded: string;
  try {
    decoded = atob(value);
  } catch {
    return false;
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return false;
  for (let i = 0; i < decoded.length; i++) if (decoded.charCodeAt(i) < 0x20) return false; // binary, not text
  const password = decoded.slice(colon + 1);
  return password.length === 0 || !isPlaceholderPassword(password);
}

/** The password given to curl -u user:password (quotes and `{}` around it stripped). */
function isCurlPassword(value: string): boolean {
  const password = value.replace(/^["'{]{1,2}|["'}]{1,2}$/g, '');
  if (password.length < 4 || isPlaceholderPassword(password)) return false;
  return !/^\{[^}]{0,64}\}$/.test(value) || looksLikeSecretValue(password);
}

/** An API key given to curl as the user name, with an empty password (`-u key:`). */
function isCurlKey(value: string): boolean {
  return looksLikeSecretValue(value) && shannonEntropy(value) >= 3 && !isPlaceholderPassword(value);
}

/** An Authorization header value with no `Bearer`/`Basic` scheme: a raw token or `<Scheme> <token>`. */
function isAuthorizationValue(value: string): boolean {
  return value.length >= 12 && looksLikeSecretValue(value) && shannonEntropy(value) >= 3;
}

/**
 * Entropy of a keyword-assigned value, judged against its alphabet: 3 bits a character, or 2.75 for a value of
 * 16 or more hex digits, whose alphabet caps it at 4: a random 16-digit hex key scores 3.2 on average, and
 * one in seven falls under 3 (one in fifty under 2.75).
 */
export function hasSecretEntropy(value: string): boolean {
  const threshold = value.length >= 16 && /^[0-9a-fA-F]+$/.test(value) ? 2.75 : 3;
  return shannonEntropy(value) >= threshold;
}

/** Keyword-driven rules: no distinctive prefix, so the key name, entropy and a value check do the work. */
export const genericRules: readonly Rule[] = [
  {
    id: 'bearer-token',
    category: 'secret',
    description: 'Bearer (or token) credentials in an Authorization header or a curl -H argument.',
    keywords: ['bearer'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9])bearer\s{1,4}([A-Za-z0-9._~+/-]{16,4096}={0,2})/i,
    secretGroup: 1,
    minEntropy: 3,
    validate: looksLikeSecretValue,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'Authorization: Bearer krWL9FuU7KWP2q08MgRAChKbe9NKl9n7M5l~6_O6',
      'curl -H "Authorization: Bearer 7f3c9a1b27d4e8c6b0a5d9e2f7c1b3a4" https://api.internal.test/v2/orders',
      "headers: { authorization: 'bearer q8ZkP3xW9mL2vB7nR4tY6uJ1' }",
    ],
    falsePositives: [
      'Authorization: Bearer ${ACCESS_TOKEN}',
      'Authorization: Bearer <token>',
      'Authorization: Bearer YOUR_ACCESS_TOKEN_HERE',
      'The bearer of this letter is authorised to collect the parcel.',
      'Authorization: Bearer process.env.ACCESS_TOKEN',
      'Authorization: Bearer XXXXXXXXXXXXXXXXXXXX',
    ],
  },
  {
    id: 'basic-auth-header',
    category: 'secret',
    description:
      'HTTP Basic credentials (base64 of user:password, or of an API key and a colon) in an Authorization header.',
    keywords: ['basic'],
    // `authorization` + ["']? + \s{0,4} + [:=] + \s{0,4} + ["']? before `basic`: 14 to 24 characters.
    matchStart: [-24, -14],
    pattern:
      /authorization["']?\s{0,4}[:=]\s{0,4}["']?basic\s{1,4}([A-Za-z0-9+/]{4,1024}={0,2})(?![A-Za-z0-9+/=])/i,
    secretGroup: 1,
    validate: isBasicCredential,
    truePositives: [
      // svc-deploy:R7t!pQ2zX9wL
      'Authorization: Basic c3ZjLWRlcGxveTpSN3QhcFEyelg5d0w=',
      '-H "authorization: basic YWRtaW46dkc4a0xwMnhRN3I="',
      // rk_test_9Qw2Lp7zXk3m: (a key as the user name, no password)
      "curl -H 'Authorization: Basic cmtfdGVzdF85UXcyTHA3elhrM206' https://api.internal.test/v1/charges",
    ],
    falsePositives: [
      'Authorization: Basic dXNlcjpwYXNzd29yZA==', // user:password
      'Authorization: Basic <base64 of user:pass>',
      'Authorization: Basic aGVsbG8gd29ybGQ=', // no colon
      'Authorization: Basic OnNlY3JldA==', // :secret, no user
      'Use Basic authentication with your username.',
    ],
  },
  {
    id: 'authorization-header',
    category: 'secret',
    description:
      'A credential in an Authorization header without the Bearer or Basic scheme: a raw token or "<Scheme> <token>" (Token, Api-Token, SSWS...).',
    keywords: ['authorization'],
    matchStart: [0, 0],
    pattern:
      /authorization["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?!(?:bearer|basic|digest|negotiate|ntlm|aws4-hmac-sha256)[ \t])(?:[A-Za-z][A-Za-z0-9_-]{1,24}[ \t]{1,4})?([A-Za-z0-9._~+/=:@!%^*-]{12,1024})(?![A-Za-z0-9._~+/=:@!%^*-])/i,
    secretGroup: 1,
    validate: isAuthorizationValue,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'curl -H "Authorization: Token 9c1e4f7a2b8d3e6f0a5c7b9d2e4f6a8c1b3d5e7f" https://api.internal.test/v1/items',
      "curl --header 'Authorization: 4d9e2c71-6b3a-4f85-9c1d-7e2a5b8f0c36'",
      'authorization: SSWS 00Qx7vLm2Rt9KpZ4wN8cB3yH6jF1dS5gA0eU',
    ],
    falsePositives: [
      'curl -H "Authorization: Token **********"',
      'Authorization: Bearer <token>',
      'Authorization: $API_TOKEN',
      'Authorization: required for every request.',
      'authorization: Digest username="svc", realm="api"',
    ],
  },
  {
    id: 'curl-user-password',
    category: 'secret',
    description: 'Password given to curl with -u / --user user:password.',
    keywords: ['curl'],
    matchStart: [0, 0],
    // The command may continue over `\` line ends. The password may not repeat the user name (`test:test`).
    pattern:
      /(?<![A-Za-z0-9_-])curl(?:[^\n\\]|\\[^]){0,1024}?[ \t](?:-u|--user)(?:[ \t]{1,4}|=)["']?([^\s:"']{0,128})["']?:["']?(?!\1["'\s]|\1$)([^\s"']{1,256})/,
    secretGroup: 2,
    validate: isCurlPassword,
    truePositives: [
      'curl -u deploy:Xq93vLm2Rt https://ci.internal.test/job/build',
      "curl -s --user 'svc:Pz7wK2qN8c' -X POST https://api.internal.test/v1/jobs",
      "curl -X POST https://api.internal.test/v1/jobs \\\n  -d 'a=1' \\\n  -u builder:kT4wQ9zLm2Xp",
      "curl --user ops:'Wv5!nR8qZ2' https://api.internal.test",
      'curl -u ":Hv8#kQ2zLp" https://search.internal.test:9200',
    ],
    falsePositives: [
      'curl -u user:password https://api.internal.test',
      'curl -u "$USER:$PASS" https://api.internal.test',
      'curl -u admin: https://api.internal.test',
      'curl -u <user:password> https://api.internal.test',
      'curl --user "xxx:yyy" https://api.internal.test',
      'curl --user neo4j:[PASSWORD] http://localhost:7474/db/data/',
      'curl -u test:test https://api.internal.test',
      'curl -u "${username}":"${password}" https://api.internal.test',
      'curl -X POST https://api.internal.test/v1/jobs',
    ],
  },
  {
    id: 'curl-user-key',
    category: 'secret',
    description: 'API key given to curl as the user name with an empty password (-u key:).',
    keywords: ['curl'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9_-])curl(?:[^\n\\]|\\[^]){0,1024}?[ \t](?:-u|--user)(?:[ \t]{1,4}|=)["']?([^\s:"'$]{12,128}):(?=["']?(?:\s|$))/,
    secretGroup: 1,
    validate: isCurlKey,
    truePositives: [
      'curl -u "rk_9Qw2Lp7zXk3mV8:" https://api.internal.test/v1/charges',
      'curl https://api.internal.test/v1/charges -u Zx8vL2qR9mT4kP7w:',
    ],
    falsePositives: [
      'curl -u admin: https://api.internal.test',
      'curl -u your_api_key_here: https://api.internal.test',
    ],
  },
  {
    id: 'generic-secret',
    category: 'secret',
    description:
      'A high-entropy value assigned to (or compared with) a password, secret, token, api_key, access_key or similar key (code, config, env, JSON).',
    keywords: GENERIC_KEYWORDS,
    // Every key name the pattern accepts starts with one of the keywords.
    matchStart: [0, 0],
    pattern: new RegExp(
      SECRET_KEY_NAME +
        // The check is a lookbehind after the name, so the regex engine still starts from the name's letters.
        `(?<!${NOT_SECRET_PREFIX}${SECRET_KEY_NAME_PLAIN})` +
        '[A-Za-z0-9_.-]{0,24}' +
        NOT_SECRET_SUFFIX +
        '["\'`]?(?:\\[\\d{0,4}\\])?[ \\t]{0,4}' +
        // :=  =>  ==  !=  ===  !==  =  :  secret("...")  x.assign("...")  password "...";
        // `(` only right after a variable whose name starts with the key word (`getToken("id")` is a call).
        // `,apiKey:"..."` (an unquoted key right after `,`, `{` or `;`, no space) is minified code: skipped.
        '(?::=|=>(?=[ \\t]{0,4}["\'`])|[!=]==?|=|:(?=[ \\t])|(?<![,{;][A-Za-z0-9_$]{1,48}):(?=["\'`])|' +
        `(?<=(?<![A-Za-z0-9_$.])${SECRET_KEY_NAME_PLAIN}[A-Za-z0-9_]{0,24})` +
        '(?:\\.assign)?\\((?=["\'`])|(?<=[ \\t])(?="[^"\\n]{1,256}";))' +
        '[ \\t]{0,4}@?' +
        VALUE,
      'i',
    ),
    secretGroup: 2,
    validate: (value) => looksLikeSecretValue(value) && hasSecretEntropy(value),
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'DB_PASSWORD=Zq8!vR2#mT9p',
      '"api_key": "f3c9a1b27d4e8c6b0a5d9e2f7c1b3a48"',
      'client_secret: 8Hk2_pQw9ZxT4mVn',
      "const authToken = 'a81Fq0ZxW2pL9mT4vB7';",
      'spring.datasource.password = zj5xC4C3cDA*NyIB',
      'export SECRET_KEY_BASE=3f9a0c7e1b5d4f2a8c6e0b9d7f3a1c5e',
      'passwd: A0w05#ikNB9IGa',
      // Separated by a dot: found through its own keyword, not only when another keyword is in the text.
      'app.auth.key = Rk7#vQ2pLx9mW4',
      'db_pass := "Lm3{x}9(Qr)$v2"',
      'if (api_key == "Tq8zW3kP9vN2xR7m") {',
      'vault_passphrase = "plum orbit 42 quartz"',
      'creds = Hx7pQ2vLk9ZmR4wT',
      '"user_auth": "c3ZjOmQ5MmIxYy00ZTdhLTQ4ZjAtOWMzZQ=="',
      'var secret = @"Kp4!zR8qW2vX";',
      'jwtToken = "eyQk3vX9pL2mZ8rT4wN7cB5yH.eyR2kL9pQ7vX3mZ8.Tq4wN7cB5yH2"',
      '{"clientSecret":"Qv7~kR2.pL9_xZ4-mT8wN3"}',
    ],
    falsePositives: [
      'password=${DB_PASSWORD}',
      'token: <your-token>',
      'api_key = os.environ["API_KEY"]',
      'max_tokens = 4096',
      '"prompt_tokens": 1234567890,',
      'secret: xxxxxxxxxxxx',
      'token = "your_token_here"',
      'password_reset_url: https://accounts.example.org/reset',
      'secret_name: payments-db-credentials',
      'SECRET_KEY = env("DJANGO_SECRET_KEY")',
      'token_id: 123e4567-e89b-12d3-a456-426614174000',
      'password: hunter2',
      'const token = await getAccessToken(client);',
      'password: process.env.DB_PASSWORD',
      'tokenizer = AutoTokenizer.from_pretrained(model_id)',
      'Password: ********',
      'snowflake.password=\njdbc.snowflake.url=jdbc:snowflake://acme.snowflakecomputing.com',
      'dependency io.jsonwebtoken:jjwt-api:0.12.5',
      'publicToken = "pk_9Cnzj4p4WGeKLs1Pt8QuKUpRKf"',
      'password = ",.:-*?!"',
      'password = "Enter your password"',
      'secret = computeSecret(salt);',
      'api_secret = k2Rv9Lq8Zx4T;',
      'creds => fetchCredentials',
      'const t = getToken("user-id-123");',
      'token: req.headers.authorization?.split(" ")[1],',
      'sdk.init(token: 9f3c1a7e2b5d8c4f6a0e-eu2)',
      'ACCESS_KEY={ServiceAccessKey}',
      'admin_password = "not yet set"',
      "label = f.category === 'secret' ? 'Secret' : 'Personal data';",
      'The proxy derives its credentials: HMAC-SHA256 keyed with the CA key.',
      'it("has no provider credential: Authorization, x-api-key or key=")',
      'exports.KeyErr = exports.APIKeyScopeMissingError = exports.ChannelSetUpSettingsRefusedError = void 0;',
      'fakeToken := "tk_live_Qw8zR2vL9pX4"',
      'const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"',
      'token: "WorkspaceMemberInvitationStatusType"',
      'the compass bearing was 270',
      'author = "Jane Q. Writer"',
      'auth: oauth2',
      "  auth: Extract<Config['authentication'], { type: 'oidc' }>,",
      '  auth: ManagedAgentsOAuthResponse | ManagedAgentsTokenResponse;',
      'oauth_callback = "https://app.example.org/cb"',
      '!function(e){var t={apiKey:"9f3c1a7e2b5d8c4f6a0e7b1d",authDomain:"app.example.org"};e.init(t)}(window);',
    ],
  },
  {
    id: 'generic-secret-compared',
    category: 'secret',
    description:
      'A quoted high-entropy value compared with a password, secret, token or key variable ("..." == password).',
    keywords: GENERIC_KEYWORDS,
    matchStart: [0, 0],
    // The quoted value and the operator sit in a lookbehind before the name (read right to left, so the
    // closing quote is captured first and the opening one must equal it).
    pattern: new RegExp(
      '(?<=\\k<q>((?:(?!\\k<q>)[^\\n]){4,256})(?<q>["\'`])[ \\t]{0,4}[!=]==?[ \\t]{0,4}[A-Za-z0-9_$.]{0,24})' +
        SECRET_KEY_NAME +
        '[A-Za-z0-9_]{0,24}(?![A-Za-z0-9_])' +
        NOT_SECRET_SUFFIX,
      'i',
    ),
    secretGroup: 1,
    minEntropy: 3,
    validate: looksLikeSecretValue,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'if ("Xr7#qL2v!9Pz" === adminPassword) {',
      "if ('Tq8zW3kP9vN2xR7m' != api_secret) return;",
    ],
    falsePositives: [
      'if ("" == password) {',
      'if ("changeme" === password) {',
      'if (input === password) {',
      'if ("Please enter the password" != message_password_hint) {',
    ],
  },
];
