import type { Rule } from '../types.js';
import { assignedAfterName } from './shapes.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Sidekiq Pro/Enterprise gem-server credentials (`<8 hex>:<8 hex>`), in Bundler settings or a source URL. */
export const sidekiqRules: readonly Rule[] = [
  {
    id: 'sidekiq-secret',
    category: 'secret',
    description:
      'Sidekiq Pro/Enterprise credentials assigned to BUNDLE_ENTERPRISE__CONTRIBSYS__COM or BUNDLE_GEMS__CONTRIBSYS__COM.',
    keywords: ['bundle_enterprise__contribsys__com', 'bundle_gems__contribsys__com'],
    matchStart: [0, 0],
    pattern: assignedAfterName('BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM', '[a-f0-9]{8}:[a-f0-9]{8}', {
      after: 'A-Za-z0-9_:-',
    }),
    secretGroup: 1,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'export BUNDLE_ENTERPRISE__CONTRIBSYS__COM=fc6b4e2e:b6581263',
      'BUNDLE_GEMS__CONTRIBSYS__COM: "cdcab971:7ef4b165"',
    ],
    falsePositives: [
      'BUNDLE_GEMS__CONTRIBSYS__COM: "24006c1d"',
      'BUNDLE_GEMS__CONTRIBSYS__COM=${SIDEKIQ_CREDS}',
    ],
  },
  {
    id: 'sidekiq-sensitive-url',
    category: 'secret',
    description:
      'Sidekiq Pro/Enterprise gem source URL with credentials (https://<8 hex>:<8 hex>@gems.contribsys.com).',
    keywords: ['gems.contribsys.com', 'enterprise.contribsys.com'],
    // `https://` + 17 characters of credentials + `@` come before the host.
    matchStart: [-26, -25],
    pattern: /https?:\/\/([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com(?![A-Za-z0-9_.-])/i,
    secretGroup: 1,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'source "https://995415fc:21264bb9@gems.contribsys.com/" do',
      'gem install sidekiq-ent --source http://6039e307:a9ec9ecc@enterprise.contribsys.com',
    ],
    falsePositives: [
      'source "https://gems.contribsys.com/" do',
      'source "https://b97c8a3d@gems.contribsys.com/"',
    ],
  },
];
