import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Passwords that are words about passwords, not passwords. */
export const PASSWORD_WORDS: RegExp =
  /^(?:pass(?:word|wd|phrase)?|pwd|secret|token|changeme|admin|root|user(?:name)?|test|guest|default|null|none|empty|redacted|hidden|x+|\*+)$/i;

/**
 * `scheme://user:password@host`: the password (only) is redacted. The match starts at `://` (a literal the
 * regex engine scans for fast) and the userinfo characters exclude `/?#@` and whitespace, so each `://`
 * costs one bounded attempt.
 */
export const urlCredentialRules: readonly Rule[] = [
  {
    id: 'url-credentials',
    category: 'secret',
    description: 'Password in a URL userinfo (scheme://user:password@host).',
    keywords: ['://'],
    matchStart: [0, 0],
    // The password may not repeat the user name (`postgres:postgres@localhost` is a local default).
    pattern: /:\/\/([^\s:/?#@"'<>\\]{0,128}):(?!\1@)([^\s/?#@"'<>\\]{1,256})@(?=[A-Za-z0-9[_])/,
    secretGroup: 2,
    allowlist: [PASSWORD_WORDS, ...PLACEHOLDER_ALLOWLIST, /^\$/, /^%[0-9A-F]{2}\w*%$/],
    truePositives: [
      'DATABASE_URL=postgres://app:Hk2v9QpR4t@db.internal:5432/orders',
      'redis://default:n7Ghq2LwPz4x8KsT@cache-01.prod.local:6379/0',
      'git remote add origin https://deploy-bot:Zr8wq3VnTx2mKp@git.example.org/team/repo.git',
      'mongodb+srv://svc_reader:q9W%40e2R%21t7Yu@cluster0.ab1cd.mongodb.net/app?retryWrites=true',
    ],
    falsePositives: [
      'DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/orders',
      'postgres://user:password@localhost:5432/mydb',
      'amqp://guest:<password>@rabbit:5672/',
      'https://admin:xxxxxx@example.org',
      'mysql://mysql:mysql@localhost:3306/app',
      'mysql://admin:REPLACE_WITH_PASSWORD@db.internal/app',
      'http://localhost:8080/api/v1/users?id=42',
      'ssh://git@github.com/acme/repo.git',
    ],
  },
];
