import type { Rule } from '../types.js';
import { keyedSecret } from './shapes.js';

/** Flickr API keys: 32 characters next to a flickr name. */
export const flickrRules: readonly Rule[] = [
  keyedSecret({
    id: 'flickr-access-token',
    description: 'Flickr API key or secret (32 characters) assigned to a flickr key name.',
    names: ['flickr'],
    value: '[a-z0-9]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: ['FLICKR_API_KEY=hxexw1qe0mcpu71zqzlrw7ainm76bxhd'],
    falsePositives: ['flickr: hxexw1qe0mcpu71zqzlrw7ainm76bxh', 'FLICKR_USER=acme_photos'],
  }),
];
