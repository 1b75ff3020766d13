import { describe, expect, it } from 'vitest';
import { builtinRules, createDetector, redact } from '../../core/detect/index.js';
import { vendorRulesAtoK } from '../../core/detect/rules/vendors-a-k.js';

const detector = createDetector();

function ruleIds(text: string): string[] {
  return detector.scan(text).map((f) => f.rule);
}

describe('vendor rules a–k', () => {
  it('are all part of the built-in rule set, as secrets', () => {
    const builtin = new Set(builtinRules.map((r) => r.id));
    for (const rule of vendorRulesAtoK) {
      expect(builtin.has(rule.id), rule.id).toBe(true);
      expect(rule.category, rule.id).toBe('secret');
    }
  });

  describe('a value found through its vendor name', () => {
    const value = 'xtuykxaghk2oh32ut2io66f2';
    it.each([
      ['an env line', `JIRA_API_TOKEN=${value}`],
      ['a YAML line', `jira_token: '${value}'`],
      ['a JSON member', `{"confluence_token": "${value}"}`],
      ['an XML element over several lines', `<jiraToken>\n    ${value}\n</jiraToken>`],
      ['a Go assignment', `var atlassianToken string = "${value}"`],
      ['a camelCase name', `const myJiraToken = "${value}";`],
    ])('is redacted in %s', (_form, text) => {
      const findings = detector.scan(text);
      expect(findings.map((f) => f.rule)).toContain('atlassian-legacy-api-token');
      expect(redact(text, findings)).not.toContain(value);
    });

    it('is left alone when the name only occurs inside another word', () => {
      expect(ruleIds('SetSysctl = 0rzt64yesygtcu3x8ymwh09v')).toEqual([]);
    });

    it('is left alone without the vendor name', () => {
      expect(ruleIds(`build_id: ${value}`)).toEqual([]);
    });

    it('is left alone when the value is one character too long', () => {
      expect(ruleIds(`jira: ${value}a`)).toEqual([]);
    });
  });

  it('redacts several vendor tokens in one prompt, each under its own rule', () => {
    const text = [
      'deploy with FLY_API_TOKEN=fo1_vLI6USnldSex48NKrJ-73fGyOswYVOS14y6zRSrOpKs',
      'and DOPPLER_TOKEN=dp.pt.jb54sklt846osm3p9fs0bzx1wgen4lg5cam8yxzefaa',
      'then call groq with 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',
    ].join('\n');
    expect(ruleIds(text)).toEqual(['flyio-access-token', 'doppler-api-token', 'groq-api-key']);
  });

  it('redacts an Azure AD client secret inside a tool-call argument', () => {
    const body = JSON.stringify({
      name: 'set_secret',
      arguments: JSON.stringify({ clientSecret: 'Wm.4Q~Rc2lxh1nizHvSnHHRU9l0iGgGIlY71s' }),
    });
    expect(ruleIds(body)).toContain('azure-ad-client-secret');
  });
});
