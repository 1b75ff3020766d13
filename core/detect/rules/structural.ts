/** Secrets recognised by structure or context rather than a vendor prefix, most specific first. */
import type { Rule } from '../types.js';
import { connectionStringRules } from './connection-string.js';
import { genericRules } from './generic.js';
import { jwtRules } from './jwt.js';
import { kubernetesRules } from './kubernetes.js';
import { privateKeyRules } from './private-key.js';
import { urlCredentialRules } from './url-credentials.js';

export const structuralRules: readonly Rule[] = [
  ...privateKeyRules,
  ...kubernetesRules,
  ...jwtRules,
  ...urlCredentialRules,
  ...connectionStringRules,
  // Keyword-driven generic rules come last: any specific rule wins a tie.
  ...genericRules,
];
