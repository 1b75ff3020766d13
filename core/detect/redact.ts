import type { Finding } from './types.js';

/** The text that replaces a redacted value: `[REDACTED:<rule-id>]`. */
export function placeholderFor(ruleId: string): string {
  return `[REDACTED:${ruleId}]`;
}

/** The text that replaces one finding: given the finding and the original value it covers. */
export type Replacement = (finding: Finding, value: string) => string;

const placeholderOf: Replacement = (finding) => placeholderFor(finding.rule);

/**
 * Replaces each finding's span with `replace(finding, value)`, by default its placeholder (so a
 * `pseudonymize` finding without a pseudonym vault, as in `llmgate scan`, is redacted irreversibly). Findings are expected as a detector returns them
 * (sorted, non-overlapping); others are sorted first and any overlap with an earlier span is skipped.
 * `allow` findings are left as they are. Returns `text` itself when nothing is replaced.
 */
export function redact(
  text: string,
  findings: readonly Finding[],
  replace: Replacement = placeholderOf,
): string {
  if (findings.length === 0) return text;
  let ordered = findings;
  for (let i = 1; i < findings.length; i++) {
    if ((findings[i] as Finding).start < (findings[i - 1] as Finding).start) {
      ordered = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
      break;
    }
  }
  let out = '';
  let cursor = 0;
  for (const f of ordered) {
    if (f.action === 'allow' || f.start < cursor || f.end <= f.start || f.end > text.length) continue;
    out += text.slice(cursor, f.start) + replace(f, text.slice(f.start, f.end));
    cursor = f.end;
  }
  if (cursor === 0 && out === '') return text;
  return out + text.slice(cursor);
}
