import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';
import { PASSWORD_WORDS } from './url-credentials.js';

const NOT_A_VALUE =
  /^(?:true|false|null|nil|none|undefined|yes|no|on|off|required|optional|string|str|bool|boolean|int|integer|number|object|any|bytes|secret|env|environment)$/i;

/**
 * Whether an assigned value looks like a credential rather than code, a name or a reference. Shared by the
 * generic rules; each check is a bounded regex on a value of at most a few hundred characters.
 */
export function looksLikeSecretValue(value: string): boolean {
  if (/^\d+$/.test(value)) return false; // counts, ports, ids
  if (NOT_A_VALUE.test(value) || PASSWORD_WORDS.test(value)) return false;
  if (/^[A-Za-z_$][\w$]{0,64}(?:\.[\w$]{1,64}){1,8}$/.test(value)) return false; // process.env.X, settings.API_KEY
  if (/^[A-Za-z_$][\w$.]{0,128}[[(]/.test(value)) return false; // os.getenv(...), config["key"]
  if (/^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(value)) return false; // file paths
  if (value.includes('://')) return false; // URLs: url-credentials covers their userinfo
  if (/^[a-z]{1,32}(?:[_-][a-z]{1,32}){0,8}$/.test(value)) return false; // my-secret-name, snake_case
  if (/^[A-Z]{1,32}(?:_[A-Z0-9]{1,32}){0,8}$/.test(value)) return false; // ENV_VAR_NAME
  if (/^[a-z]{1,32}(?:[A-Z][a-z0-9]{0,32}){1,8}$/.test(value)) return false; // camelCaseName
  if (/^[A-Z][a-z]{1,32}(?:[A-Z][a-z0-9]{0,32}){1,8}$/.test(value)) return false; // PascalCaseName
  if (/passw|secret|token|api[_-]?key|credential/i.test(value)) return false; // a name, not a value
  if (/\.(?:json|ya?ml|pem|key|txt|env|crt|cfg|ini|toml|conf|properties|js|ts|py)$/i.test(value))
    return false;
  if (/^[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,64}$/.test(value)) return false; // an e-mail address
  // At least two of: lowercase, uppercase, digit, symbol.
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes >= 2;
}

const SECRET_KEY_NAME =
  '(?:pass(?:word|wd|phrase)|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key|credentials?)';

/** Key names that end like this describe a secret without being one (`token_id`, `password_policy`). */
const NOT_SECRET_SUFFIX =
  '(?<!id|ids|name|names|type|types|count|counts|len|length|url|uri|path|file|field|hash|ttl|expiry|expires|expiration|header|policy|prompt|label|format|limit|size|mode|version|endpoint|usage|enabled|required|rotation|timeout|min|max|regex|pattern|hint)';

/** Decodes `Basic` credentials and checks they are `user:password` with a real password. */
function isBasicCredential(value: string): boolean {
  let decoded: string;
  try {
    decoded = atob(value);
  } catch {
    return false;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const password = decoded.slice(colon + 1);
  if (password.length === 0 || !/^[\x20-\x7e]+$/.test(decoded)) return false;
  return !PASSWORD_WORDS.test(password) && !PLACEHOLDER_ALLOWLIST.some((a) => a.test(password));
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
    ],
  },
  {
    id: 'basic-auth-header',
    category: 'secret',
    description: 'HTTP Basic credentials (base64 of user:password) in an Authorization header.',
    keywords: ['basic'],
    // `authorization` + ["']? + \s{0,4} + [:=] + \s{0,4} + ["']? before `basic`: 14 to 24 characters.
    matchStart: [-24, -14],
    pattern:
      /authorization["']?\s{0,4}[:=]\s{0,4}["']?basic\s{1,4}([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/i,
    secretGroup: 1,
    validate: isBasicCredential,
    truePositives: [
      // svc-deploy:R7t!pQ2zX9wL
      'Authorization: Basic c3ZjLWRlcGxveTpSN3QhcFEyelg5d0w=',
      '-H "authorization: basic YWRtaW46dkc4a0xwMnhRN3I="',
    ],
    falsePositives: [
      'Authorization: Basic dXNlcjpwYXNzd29yZA==', // user:password
      'Authorization: Basic <base64 of user:pass>',
      'Authorization: Basic aGVsbG8gd29ybGQ=', // no colon
      'Use Basic authentication with your username.',
    ],
  },
  {
    id: 'curl-user-password',
    category: 'secret',
    description: 'Password given to curl with -u / --user user:password.',
    keywords: ['curl'],
    matchStart: [0, 0],
    pattern: /\bcurl[^\n]{0,512}?\s(?:-u|--user)[\s=]{1,4}["']?[^\s:"']{1,128}:([^\s"']{1,256})/,
    secretGroup: 1,
    allowlist: [PASSWORD_WORDS, ...PLACEHOLDER_ALLOWLIST, /^\$/],
    truePositives: [
      'curl -u deploy:Xq93vLm2Rt https://ci.internal.test/job/build',
      "curl -s --user 'svc:Pz7wK2qN8c' -X POST https://api.internal.test/v1/jobs",
    ],
    falsePositives: [
      'curl -u user:password https://api.internal.test',
      'curl -u "$USER:$PASS" https://api.internal.test',
      'curl -u admin: https://api.internal.test',
      'curl -X POST https://api.internal.test/v1/jobs',
    ],
  },
  {
    id: 'generic-secret',
    category: 'secret',
    description:
      'A high-entropy value assigned to a password, secret, token, api_key, access_key or similar key (code, config, env, JSON).',
    keywords: [
      'passw',
      'passphrase',
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
      'credential',
    ],
    // Every key name the pattern accepts starts with one of the keywords.
    matchStart: [0, 0],
    pattern: new RegExp(
      SECRET_KEY_NAME +
        // Public and publishable keys are meant to be shared; CSRF tokens are per-session form values. The
        // check is a lookbehind after the name, so the regex engine still starts from the name's letters.
        `(?<!(?:public|publishable|csrf|xsrf)[_.-]?${SECRET_KEY_NAME})` +
        '[A-Za-z0-9_.-]{0,24}' +
        NOT_SECRET_SUFFIX +
        '["\'`]?[ \\t]{0,4}(?::=|=>|=|:(?=[ \\t"\'`]))[ \\t]{0,4}["\'`]?([^\\s"\'`,;&<>(){}\\[\\]]{8,256})(?![^\\s"\'`,;&<>(){}\\[\\]])',
      'i',
    ),
    secretGroup: 1,
    minEntropy: 3,
    validate: looksLikeSecretValue,
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
    ],
  },
];
