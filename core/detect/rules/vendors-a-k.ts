/** Vendor secrets (a distinctive prefix or shape), vendors a–k. One file per vendor beside this one. */
import type { Rule } from '../types.js';
import { anthropicRules } from './anthropic.js';
import { awsRules } from './aws.js';
import { digitaloceanRules } from './digitalocean.js';
import { githubRules } from './github.js';
import { gitlabRules } from './gitlab.js';
import { googleRules } from './google.js';
import { huggingfaceRules } from './huggingface.js';

export const vendorRulesAtoK: readonly Rule[] = [
  ...awsRules,
  ...anthropicRules,
  ...digitaloceanRules,
  ...githubRules,
  ...gitlabRules,
  ...googleRules,
  ...huggingfaceRules,
];
