import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/** Adafruit IO keys: `aio_` + 28 characters today, 32 characters next to an `adafruit` name before that. */
export const adafruitRules: readonly Rule[] = [
  prefixedToken({
    id: 'adafruit-io-key',
    description: 'Adafruit IO key (aio_ + 28 characters).',
    keywords: ['aio_'],
    body: 'aio_[A-Za-z0-9]{28}',
    minEntropy: 3,
    truePositives: [
      'ADAFRUIT_IO_KEY=aio_59uSbNDChoMIkp2uI35IppKS0rHj',
      'io = Client("maker", "aio_59uSbNDChoMIkp2uI35IppKS0rHj")',
    ],
    falsePositives: [
      'ref aio_59uSbNDChoMIkp2uI35IppKS0rH', // 27 characters
      'ref aio_59uSbNDChoMIkp2uI35IppKS0rHjQ', // 29 characters
      'ref aio_xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'the aio_read_queue_depth setting',
    ],
  }),
  keyedSecret({
    id: 'adafruit-api-key',
    description: 'Adafruit API key: 32 characters assigned to an adafruit key name.',
    names: ['adafruit'],
    value: '[a-z0-9_-]{32}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'ADAFRUIT_KEY = "mvz3dbsjp4gzswyo4nqzfz72pk4v4yrp"',
      'adafruit_io_key: mvz3dbsjp4gzswyo4nqzfz72pk4v4yrp',
    ],
    falsePositives: [
      'ADAFRUIT_KEY = "mvz3dbsjp4gzswyo4nqzfz72pk4v4yr"', // 31 characters
      'ADAFRUIT_KEY = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
      'feed = "mvz3dbsjp4gzswyo4nqzfz72pk4v4yrp"', // no adafruit name
    ],
  }),
];
