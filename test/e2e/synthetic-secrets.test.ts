/**
 * The synthetic values the end-to-end tests send are really found by the detectors, with the rule ids the
 * tests expect: a test that asserts "never reaches the provider" cannot pass because nothing matched.
 */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../core/detect/index.js';
import { SECRETS, needles, type SecretName } from '../support/secrets.js';

const RULES: Record<SecretName, string> = {
  'AWS access key': 'aws-access-key-id',
  'GitHub PAT': 'github-pat',
  'OpenAI key': 'openai-api-key',
  'private key': 'private-key',
  email: 'email',
  'card number': 'credit-card',
  IBAN: 'iban',
  'US SSN': 'us-ssn',
  'URL password': 'url-credentials',
  JWT: 'jwt',
};

describe('synthetic secrets used by the end-to-end tests', () => {
  it.each(Object.entries(SECRETS) as [SecretName, string][])(
    'the %s value is detected and fully redacted',
    (name, value) => {
      const { findings, redacted } = scanText(`before ${value} after`);
      expect(findings.map((f) => f.rule)).toEqual([RULES[name]]);
      expect(redacted).toContain(`[REDACTED:${RULES[name]}]`);
      for (const needle of needles(value)) expect(redacted).not.toContain(needle);
    },
  );
});
