import type { Rule } from '../types.js';

/** Endings that make `name@2x.png` or `pkg@1.2.0.tgz` look like an address without being one. */
const FILE_TLDS = new Set(
  [
    'png jpg jpeg gif svg webp ico bmp tif tiff js mjs cjs ts tsx jsx css scss map json yaml yml',
    'toml lock md txt html htm xml pdf zip tgz gz tar py rb go rs java kt swift c h cpp hpp sh wasm',
    'mp3 mp4 mov woff woff2 ttf otf eot local internal invalid localhost test example',
  ]
    .join(' ')
    .split(' '),
);

function isEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..') || domain.includes('..'))
    return false;
  const tld = domain.slice(domain.lastIndexOf('.') + 1).toLowerCase();
  if (FILE_TLDS.has(tld)) return false;
  // `git@github.com` and friends are SSH logins, not people.
  if (/^(?:git|hg|svn)$/i.test(local)) return false;
  // Every label is 1-63 characters, not starting or ending with '-'.
  for (const label of domain.split('.')) {
    if (label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-')) return false;
  }
  return true;
}

export const emailRules: readonly Rule[] = [
  {
    id: 'email',
    category: 'pii',
    description: 'E-mail address.',
    keywords: ['@'],
    // The match starts at `@`: the local part before it is read by a lookbehind.
    matchStart: [0, 0],
    // Anchored on `@` (a literal the regex engine finds fast); the local part is captured in a lookbehind.
    // Its second negative lookbehind keeps `scheme://user:pass@host` to url-credentials.
    pattern:
      /@(?<=(?<![A-Za-z0-9._%+-])(?<!:\/\/[^\s/?#@]{0,128})([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@)[A-Za-z0-9][A-Za-z0-9.-]{0,252}\.(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9]{1,59})(?![A-Za-z0-9-]|\.[A-Za-z0-9])/,
    startGroup: 1,
    // Machine senders and stand-ins, not people.
    allowlist: [
      /^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster)@/i,
      /@[\w.-]*\.gserviceaccount\.com$/i,
      /^your[-_.]|@your[-_.]/i,
      // A local part with a stand-in word of its own (`jane.fake@`, `dummy_user@`, `placeholder@`): test data.
      /(?:^|[._+-])(?:fake|dummy|placeholder)(?:[._+-][^@]{0,64})?@/i,
    ],
    validate: isEmail,
    truePositives: [
      'Please contact jane.doe@acme-corp.com about the invoice.',
      'From: "Ravi K" <ravi.k+billing@mail.example.co.uk>',
      '{"email":"j_smith42@gmail.com","plan":"pro"}',
      'mailto:support@helpdesk.io',
      'почта: ivan@xn--80ak6aa92e.xn--p1ai',
      'cc: lena.fakhri@mailbox.org', // a name that starts like a stand-in word
    ],
    falsePositives: [
      'import icon from "./assets/logo@2x.png";',
      'npm install lodash@4.17.21',
      'git clone git@github.com:acme/infra.git',
      'the decorator @Injectable() and the handle @jane_doe',
      'user@localhost',
      'email: <user@domain>', // no TLD
      'From: noreply@github.com',
      'sa: deployer@acme-prod.iam.gserviceaccount.com',
      'write to your.name@your-company.com',
      'reserved ops@acme.example', // RFC 2606 example TLD
      'owner = "mara.fake@mailbox.org"',
      'seed: dummy_user+1@shop.io',
    ],
  },
];
