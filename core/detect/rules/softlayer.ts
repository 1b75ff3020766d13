import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';

/**
 * IBM SoftLayer API keys: 64 alphanumerics after a SoftLayer key name (`softlayer_api_key`, `sl_key`,
 * `--softlayer-api-key`), with or without an assignment sign, or in a SOAP endpoint path.
 */
export const softlayerRules: readonly Rule[] = [
  {
    id: 'softlayer-api-key',
    category: 'secret',
    description: 'SoftLayer API key: 64 alphanumerics after a SoftLayer/SL key, pass or token name.',
    keywords: ['softlayer', 'sl_', 'sl-', 'slapi', 'slkey', 'slpass', 'sltoken'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9])(?:softlayer|sl)[_-]?(?:api)?[_-]?(?:key|pass(?:word)?|token)["']?[\s:=>'"]{1,8}([a-z0-9]{64})(?![A-Za-z0-9_-])/i,
    secretGroup: 1,
    minEntropy: 2.5,
    allowlist: PLACEHOLDER_ALLOWLIST,
    truePositives: [
      'SOFTLAYER_API_KEY=p74bb5t5wjcmb1f8jx04skajzvq8mtczfo1bn8yxeq2rb8wbewpavtrkm2wv32nw',
      'slcli config setup --softlayer-api-key n8u58q21ywehiic7i62cc401qajr5p4d46zorj1lsnjddysnoxtkdybcqrhl7zcm',
      '"sl_token" := "cv3sox5d9o0ya2bss6hvs59xp15ji615x9hyf51onhw3z29r9dmk87a1vefk4yis"',
    ],
    falsePositives: [
      'SOFTLAYER_USERNAME=apiuser',
      'sl_key=a0kfghxskvvatnjlv0zgfjj6ykhnecdrc71cze9w',
      'sl_api_key: ${SL_API_KEY}',
    ],
  },
  {
    id: 'softlayer-api-url-key',
    category: 'secret',
    description: 'SoftLayer API key in a SOAP endpoint URL (api.softlayer.com/soap/v3/<64>).',
    keywords: ['api.softlayer.com'],
    matchStart: [0, 0],
    pattern: /api\.softlayer\.com\/soap\/v3(?:\.1)?\/([a-z0-9]{64})(?![A-Za-z0-9_-])/i,
    secretGroup: 1,
    minEntropy: 2.5,
    truePositives: [
      'client = Client("https://api.softlayer.com/soap/v3.1/89wuxaieh3mumjyu65ze2n0z7mknfdt0tjvxzll9plttwi5ha0wppl5sn729muap")',
    ],
    falsePositives: [
      'https://api.softlayer.com/soap/v3.1/SoftLayer_Account',
      'https://api.softlayer.com/soap/v3/',
    ],
  },
];
