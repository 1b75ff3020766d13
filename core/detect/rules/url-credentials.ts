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
    pattern: /:\/\/([^\s:/?#@"'<>\\]{0,128}):(?!\1@)([^\s/?#@"'<>\\]{4,256})@(?=[A-Za-z0-9[_])/,
    secretGroup: 2,
    allowlist: [
      PASSWORD_WORDS,
      ...PLACEHOLDER_ALLOWLIST,
      /^\$/,
      /^%[0-9A-F]{2}\w*%$/,
      /^\{[^}]{0,64}\}$/, // {PASS}
      /^(.)\1{0,255}$/, // 1111: one character repeated
    ],
    truePositives: [
      'DATABASE_URL=postgres://app:Hk2v9QpR4t@db.internal:5432/orders',
      'redis://default:n7Ghq2LwPz4x8KsT@cache-01.prod.local:6379/0',
      'git remote add origin https://deploy-bot:Zr8wq3VnTx2mKp@git.example.org/team/repo.git',
      'mongodb+srv://svc_reader:q9W%40e2R%21t7Yu@cluster0.ab1cd.mongodb.net/app?retryWrites=true',
      'amqps://orders:Tz5kP8wQ2x@mq.internal.test:5671/prod',
      'REDIS_URL=redis://:Hk2v9QpR4tZ@cache.internal.test:6379/0',
      'jdbc:postgresql://reporting:Lq7vN2xK9p@pg.internal.test:5432/reports',
      'ftp://uploader:Gm4!rT8zQ2@files.internal.test/in/',
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
      'https://{USER}:{PASS}@template.example.org',
      'https://svc:abc@api.example.org/v1', // three characters: a stand-in
      'https://svc:1111@api.example.org/v1',
    ],
  },
];
