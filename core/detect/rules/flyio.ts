import type { Rule } from '../types.js';
import { prefixedToken } from './shapes.js';

/** Fly.io tokens: `fo1_` + 43 (org), and macaroons `fm1a_`/`fm1r_`/`fm2_` + 100 or more base64 characters. */
export const flyioRules: readonly Rule[] = [
  prefixedToken({
    id: 'flyio-access-token',
    description: 'Fly.io access token (fo1_ + 43, or an fm1a_/fm1r_/fm2_ macaroon).',
    keywords: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    body: 'fo1_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,4096}={0,3}(?![A-Za-z0-9+/=])',
    // The end differs by kind (base64url, base64): each alternative carries its own.
    after: '',
    boundary: 'A-Za-z0-9_-',
    minEntropy: 3.5,
    truePositives: [
      'FLY_API_TOKEN=fo1_vLI6USnldSex48NKrJ-73fGyOswYVOS14y6zRSrOpKs',
      'Authorization: FlyV1 fm2_Hc4bSgfxrUcUrLst6pq8PRVIqY9pPIQ44gijd2uEsxNlg0q7uad3xgjFDuhditv71XG7mjMHFc1wdym9NGM3HPh3j6Q91rZSxduobdlEZcPnCA177EZWbOzMaxC/yqkb2GlmbzBFjJpI==',
    ],
    falsePositives: [
      'ref fo1_vLI6USnldSex48NKrJ-73fGyOswYVOS14y6zRSrOpK', // 42 characters
      'ref fo1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'value=7SWa-Fo1_vLI6USnldSex48NKrJ-73fGyOswYVOS14y6zRSrOpKs', // inside another token
      'ref fm2_Hc4bSgfxrUcUrLst6pq8PRVIqY9pPIQ44gijd2uEsxNlg0q7uad3x', // too short
    ],
  }),
];
