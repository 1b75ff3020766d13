/**
 * Globs for model, tool, provider and host names: `*` matches any run of characters, `?` one character,
 * everything else itself, case-insensitively, against the whole value. Matched by hand rather than by a
 * RegExp so that a policy author can never write a pattern that backtracks exponentially: the matcher
 * below is O(pattern × value) at worst and linear in practice.
 */
export interface Glob {
  readonly source: string;
  matches(value: string): boolean;
}

function wildcardMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let starV = 0;
  while (v < value.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 0x3f /* ? */ || c === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (p < pattern.length && c === 0x2a /* * */) {
      star = p++;
      starV = v;
    } else if (star !== -1) {
      p = star + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 0x2a) p++;
  return p === pattern.length;
}

/** Compiles once; a glob without wildcards is a plain comparison. Values must be passed lowercased. */
export function compileGlob(source: string): Glob {
  const pattern = source.toLowerCase();
  if (!/[*?]/.test(pattern)) return { source, matches: (value) => value === pattern };
  if (pattern === '*') return { source, matches: () => true };
  return { source, matches: (value) => wildcardMatch(pattern, value) };
}

/** The first glob that matches `value` (already lowercased), or undefined. */
export function firstMatch(globs: readonly Glob[], value: string): Glob | undefined {
  for (const glob of globs) if (glob.matches(value)) return glob;
  return undefined;
}
