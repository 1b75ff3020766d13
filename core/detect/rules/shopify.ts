import type { Rule } from '../types.js';

/** Shopify tokens: admin API (shpat_), custom app (shpca_), private app (shppa_), shared secret (shpss_). */
export const shopifyRules: readonly Rule[] = [
  {
    id: 'shopify-token',
    category: 'secret',
    description: 'Shopify access token or shared secret (shpat_/shpca_/shppa_/shpss_ + 32 hex).',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    truePositives: ['X-Shopify-Access-Token: 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'],
    falsePositives: ['ref shpat_47d7d89e905dd171d59beb9b5df2cf', 'ref shpat_' + 'f'.repeat(32)],
  },
];
