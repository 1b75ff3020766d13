import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Authress service client access keys: `sc_`/`ext_`/`scauth_`/`authress_` id, `.`, key id, `.acc_…`, `.` secret. */
export const authressRules: readonly Rule[] = [
  prefixedToken({
    id: 'authress-service-client-access-key',
    description: 'Authress service client access key (sc_<id>.<kid>.acc_<account>.<secret>).',
    keywords: ['sc_', 'ext_', 'scauth_', 'authress_'],
    body: '(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\\.[a-z0-9]{4,6}\\.acc[_-][a-z0-9-]{10,32}\\.[a-z0-9+/_=-]{30,120}',
    flags: 'i',
    minEntropy: 2,
    truePositives: [
      'AUTHRESS_KEY=sc_skfe8rl72r.iajc.acc_ed8sv1bcrno0jmd4.vx14uklc0ezt65uzcgunuuykbymxy605321vbvj7',
      'accessKey: "ext_skfe8rl72r.iajc.acc-ed8sv1bcrno0jmd4.vx14uklc0ezt65uzcgunuuykbymxy605321vbvj7"',
    ],
    falsePositives: [
      'ref sc_skfe8rl72r.iajc.acc_ed8sv1bcrno0jmd4.vx14uklc0ezt', // secret too short
      'ref sc_skfe8rl72r.iajc.usr_ed8sv1bcrno0jmd4.vx14uklc0ezt65uzcgunuuykbymxy605321vbvj7', // not acc_
      'misc_config.yaml',
    ],
  }),
];
