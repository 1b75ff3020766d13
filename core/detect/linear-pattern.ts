/**
 * Patterns from configuration, compiled with RE2 semantics (`re2js`, a maintained port of Go's regexp):
 * matching is linear in the text for any pattern, so an organisation's rule cannot make a scan hang, whatever
 * it says and whatever the prompt holds. The built-in rules use JavaScript RegExps, which are faster but
 * backtrack; they are written to a discipline and tested for linear growth (./rules/shared.ts), which
 * configuration cannot promise.
 *
 * RE2 syntax has no lookarounds or backreferences (which is what makes it linear); `(?i)` and the other inline
 * flags work. Offsets are JavaScript string indices, like every finding's.
 */
import { RE2JS, RE2JSException } from 're2js';
import { DetectError } from '../errors.js';
import type { LinearPattern } from './types.js';

export interface LinearPatternOptions {
  /** Letters match in either case. */
  readonly caseInsensitive?: boolean;
  /** The capture group whose span is the match (default: the whole match). */
  readonly group?: number;
}

/** Longest pattern source accepted: RE2 programs grow with it, and config patterns are short. */
export const MAX_PATTERN_LENGTH = 4096;

function badPattern(source: string, reason: string, cause?: unknown): DetectError {
  return new DetectError('LG_DETECT_BAD_PATTERN', `pattern ${JSON.stringify(source)}: ${reason}`, { cause });
}

/** Compiles `source`; a pattern RE2 cannot run (lookarounds, backreferences, bad syntax) throws `LG_DETECT_BAD_PATTERN`. */
export function compileLinearPattern(source: string, options: LinearPatternOptions = {}): LinearPattern {
  if (source.length === 0) throw badPattern(source, 'is empty');
  if (source.length > MAX_PATTERN_LENGTH)
    throw badPattern(source.slice(0, 40), `is longer than ${MAX_PATTERN_LENGTH} characters`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, options.caseInsensitive === true ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    const reason = err instanceof RE2JSException ? err.message : String(err);
    throw badPattern(
      source,
      `is not an RE2 pattern (${reason}); lookarounds and backreferences are not supported`,
      err,
    );
  }
  const group = options.group ?? 0;
  if (!Number.isInteger(group) || group < 0 || group > re.groupCount()) {
    throw badPattern(source, `has no capture group ${group} (it has ${re.groupCount()})`);
  }
  if (re.matches('')) throw badPattern(source, 'matches the empty text, so it would match everywhere');
  return {
    source,
    test(text: string): boolean {
      return re.matcher(text).find();
    },
    forEachMatch(text: string, onMatch: (start: number, end: number) => void): void {
      const m = re.matcher(text);
      while (m.find()) {
        const start = m.start(group);
        const end = m.end(group);
        // An optional group that did not take part reports -1.
        if (start >= 0 && end > start) onMatch(start, end);
      }
    },
  };
}
