/**
 * The detector domain's only import surface. Pure: values in, values out (no I/O, env or timers).
 *
 *   const detector = createDetector({ categoryActions: { pii: 'redact' }, ruleActions: { 'ip-address': 'allow' } });
 *   const findings = detector.scan(text);     // sorted, non-overlapping, JS string offsets
 *   const safe = redact(text, findings);      // `[REDACTED:<rule-id>]` in place of each value
 */
import { createDetector } from './engine.js';
import { redact } from './redact.js';
import type { Detector, Finding } from './types.js';

export type {
  Action,
  AllowlistEntry,
  Category,
  CustomPattern,
  Detector,
  DetectorOptions,
  Dictionary,
  DigitRunAnchor,
  Finding,
  LinearPattern,
  Rule,
} from './types.js';
export { createDetector, assertRule, describeRules, type RuleSummary } from './engine.js';
export { compileLinearPattern, type LinearPatternOptions } from './linear-pattern.js';
export { redact, placeholderFor, type Replacement } from './redact.js';
export { builtinRules } from './rules/index.js';
export {
  isIban,
  isJwt,
  isPaymentCard,
  isPhoneNumber,
  isPublicIpAddress,
  isUsSsn,
  isUsItin,
  isUkNhs,
  isUkNino,
  isMacAddress,
  isBitcoinAddress,
  isEthereumAddress,
  luhn,
  DIGIT_KEYWORDS,
  PLACEHOLDER_ALLOWLIST,
} from './rules/index.js';
export { shannonEntropy } from './entropy.js';

export interface ScanResult {
  readonly findings: Finding[];
  /** `text` with every finding replaced by its placeholder (the same string when nothing was found). */
  readonly redacted: string;
}

let defaultDetector: Detector | undefined;

/** Scans with `detector`, or a shared detector over the built-in rules with default actions. */
export function scanText(text: string, detector?: Detector): ScanResult {
  const d = detector ?? (defaultDetector ??= createDetector());
  const findings = d.scan(text);
  return { findings, redacted: redact(text, findings) };
}
