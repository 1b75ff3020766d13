import type { Rule } from '../types.js';

/**
 * Shopify tokens: admin API (shpat_), custom app (shpca_), private app (shppa_), shared secret (shpss_). Older
 * ones are 32 hex; newer ones are longer and base62.
 */
export const shopifyRules: readonly Rule[] = [
  {
    id: 'shopify-token',
    category: 'secret',
    description: 'Shopify access token or shared secret (shpat_/shpca_/shppa_/shpss_ + 32–64 alphanumerics).',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[A-Za-z0-9]{32,64}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    truePositives: [
      'X-Shopify-Access-Token: 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',
      'SHOPIFY_API_SECRET=shpss_ViG4L052wNrCPl4Ojc8WYZ9UfnmLDZWs',
      'SHOPIFY_ACCESS_TOKEN=shpca_WwYPIgHrR9QL6hd7fowTiCDtDVTsAs6VPPtahA',
    ],
    falsePositives: [
      'ref shpat_47d7d89e905dd171d59beb9b5df2cf', // too short
      'ref shpat_' + 'f'.repeat(32),
      'ref shpxx_2OkiIKGy4l07DmK0ohmDXZTmBKn6vgpa', // no such token type
    ],
  },
];
