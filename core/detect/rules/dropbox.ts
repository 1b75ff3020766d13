import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/**
 * Dropbox: short-lived access tokens (`sl.` + 130+ characters), long-lived tokens (11 characters, ten `A`,
 * 43 characters) and app keys/secrets (15 characters), all found next to a dropbox name.
 */
export const dropboxRules: readonly Rule[] = [
  keyedSecret({
    id: 'dropbox-short-lived-api-token',
    description:
      'Dropbox short-lived access token (sl. + 130 or more characters) assigned to a dropbox key name.',
    names: ['dropbox'],
    value: 'sl\\.[A-Za-z0-9_=.-]{130,1400}',
    minEntropy: 3,
    truePositives: [
      'DROPBOX_ACCESS_TOKEN=sl.VjkCzUeK8shaA5RhEcfYTalPzZJY3hJIi8E2Gd4DD9M-g4KPSNGtrfTgmU99hrHeAFrxKoTHbfz-822ZXnvHt-AFwKsdt6ay1bNuB4W_rLG7KRjT_vfQSvRRfGMFaBTBaGOiTJQ',
    ],
    falsePositives: ['dropbox: sl.VjkCzUeK8shaA5RhEcfYTalPzZJY3hJIi8E2Gd4DD9M'],
  }),
  keyedSecret({
    id: 'dropbox-long-lived-api-token',
    description:
      'Dropbox long-lived access token (11 characters, AAAAAAAAAA, 43 characters) assigned to a dropbox key name.',
    names: ['dropbox'],
    value: '[a-z0-9]{11}AAAAAAAAAA[a-z0-9_=-]{43}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['dropbox_token = "gsac9iwz0p4AAAAAAAAAAHbAt565obrfPTLglo1PbeH9pvsPv4tw5TIlGvaDrwIV"'],
    falsePositives: ['dropbox: gsac9iwz0p4BBBBBBBBBBHbAt565obrfPTLglo1PbeH9pvsPv4tw5TIlGvaDrwIV'],
  }),
  keyedSecret({
    id: 'dropbox-api-token',
    description: 'Dropbox app key or secret (15 characters) assigned to a dropbox key name.',
    names: ['dropbox'],
    value: '[a-z0-9]{15}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['DROPBOX_APP_SECRET=3jtefdje280wlbq'],
    falsePositives: ['dropbox: 3jtefdje280wlb', 'DROPBOX_FOLDER=/Apps/acme-backups'],
  }),
];
