import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

/** Alibaba Cloud: AccessKey ids start `LTAI`; AccessKey secrets are 30 characters next to an alibaba name. */
export const alibabaRules: readonly Rule[] = [
  prefixedToken({
    id: 'alibaba-access-key-id',
    description: 'Alibaba Cloud AccessKey id (LTAI + 20 characters).',
    keywords: ['ltai'],
    body: 'LTAI[A-Za-z0-9]{20}',
    flags: 'i',
    minEntropy: 2,
    truePositives: [
      'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIFnPLFxiQUauakAWqWnGd',
      'accessKeyId: "LTAIFnPLFxiQUauakAWqWnGd"',
    ],
    falsePositives: [
      'ref LTAIFnPLFxiQUauakAWqWnG', // 19 characters
      'ref LTAIFnPLFxiQUauakAWqWnGdQ', // 21 characters
      'ref xLTAIFnPLFxiQUauakAWqWnGd',
    ],
  }),
  keyedSecret({
    id: 'alibaba-secret-key',
    description: 'Alibaba Cloud AccessKey secret (30 characters) assigned to an alibaba key name.',
    names: ['alibaba'],
    value: '[a-z0-9]{30}',
    valueCaseInsensitive: true,
    minEntropy: 2,
    truePositives: [
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET=73dvwlc00zprqsit32gnecoidxc5qc',
      'alibaba_secret: "73dvwlc00zprqsit32gnecoidxc5qc"',
    ],
    falsePositives: [
      'ALIBABA_REGION=cn-hangzhou',
      'alibaba: "73dvwlc00zprqsit32gnecoidxc5q"', // 29 characters
    ],
  }),
];
