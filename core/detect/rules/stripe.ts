import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/** Stripe secret (sk_) and restricted (rk_) keys, live or test. Publishable keys (pk_) are public by design. */
export const stripeRules: readonly Rule[] = [
  {
    id: 'stripe-secret-key',
    category: 'secret',
    description: 'Stripe secret or restricted API key (sk_live_, rk_live_, sk_test_, rk_test_).',
    keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'sk_prod_', 'rk_prod_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])[sr]k_(?:live|test|prod)_[A-Za-z0-9]{20,247}(?![A-Za-z0-9_])/,
    minEntropy: 3,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'STRIPE_SECRET_KEY=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',
      'stripe.api_key = "rk_live_69IAuLDD4nzD8ceGwDQjMvnZ"',
      'const stripe = new Stripe("sk_test_9eiKbPwo1Dyak8YxfgsgCthG");',
    ],
    falsePositives: [
      'publishable: pk_live_69IAuLDD4nzD8ceGwDQjMvnZ',
      'ref sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
      'ref sk_test_1234', // too short
      'ref sk_live_<your-secret-key>',
    ],
  },
  {
    id: 'stripe-webhook-secret',
    category: 'secret',
    description: 'Stripe (or Svix-style) webhook signing secret (whsec_ + 32–64 base64 characters).',
    keywords: ['whsec_'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/]{32,64}={0,2}(?![A-Za-z0-9_+/=])/,
    minEntropy: 3.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'STRIPE_WEBHOOK_SECRET=whsec_OTfGnBcHAodgS9XW2WzyKfFqsjLi7jBG',
      'stripe.webhooks.constructEvent(body, sig, "whsec_f7161a19e1f7d1ffa12e94918569f9a9a6961a072e8716b51b7c1f9cc012bae7");',
      'SVIX_SECRET=whsec_vDcG1yi9mX8FE1FoeWS5ESiLIFrHEleg',
    ],
    falsePositives: [
      'ref whsec_Xbqr7eVds0a2l3Qw',
      'ref whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'ref whsec_...',
    ],
  },
];
