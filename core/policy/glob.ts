/**
 * Globs for model, tool, provider and host names: `*` matches any run of characters, `?` one character,
 * everything else itself, case-insensitively, against the whole value. Matched by hand rather than by a
 * RegExp so that a policy author can never write a pattern that backtracks exponentially: the matcher
 * below is O(pattern × value) at worst and linear in practice.
 */

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

const EXACT = 0;
const PREFIX = 1;
const ANY = 2;
const WILDCARD = 3;
const SUFFIX = 4;
const CONTAINS = 5;

/** One glob, compiled to the cheapest test that decides it. Values must be passed lowercased. */
export class Glob {
  private readonly kind: number;
  private readonly pattern: string;
  constructor(readonly source: string) {
    const pattern = source.toLowerCase();
    const wild = pattern.search(/[*?]/);
    if (wild === -1) {
      this.kind = EXACT;
      this.pattern = pattern;
    } else if (pattern === '*') {
      this.kind = ANY;
      this.pattern = '';
    } else if (wild === pattern.length - 1 && pattern.endsWith('*')) {
      this.kind = PREFIX;
      this.pattern = pattern.slice(0, -1);
    } else if (wild === 0 && pattern.startsWith('*') && !/[*?]/.test(pattern.slice(1))) {
      this.kind = SUFFIX;
      this.pattern = pattern.slice(1);
    } else if (
      wild === 0 &&
      pattern.length > 2 &&
      pattern.startsWith('*') &&
      pattern.endsWith('*') &&
      !/[*?]/.test(pattern.slice(1, -1))
    ) {
      this.kind = CONTAINS;
      this.pattern = pattern.slice(1, -1);
    } else {
      this.kind = WILDCARD;
      this.pattern = pattern;
    }
  }
  matches(value: string): boolean {
    switch (this.kind) {
      case EXACT:
        return value === this.pattern;
      case PREFIX:
        return value.startsWith(this.pattern);
      case ANY:
        return true;
      case SUFFIX:
        return value.endsWith(this.pattern);
      case CONTAINS:
        return value.includes(this.pattern);
      default:
        return wildcardMatch(this.pattern, value);
    }
  }
}

export function compileGlob(source: string): Glob {
  return new Glob(source);
}

/**
 * A list of globs: plain names in one Map lookup, the rest tried in order. `match` gives the source of a
 * glob that matches (an exact name first), or undefined.
 */
export class GlobList {
  private readonly exact = new Map<string, string>();
  private readonly patterns: Glob[] = [];
  constructor(sources: readonly string[]) {
    for (const source of sources) {
      if (/[*?]/.test(source)) this.patterns.push(new Glob(source));
      else if (!this.exact.has(source.toLowerCase())) this.exact.set(source.toLowerCase(), source);
    }
  }
  match(value: string): string | undefined {
    const exact = this.exact.get(value);
    if (exact !== undefined) return exact;
    for (const glob of this.patterns) if (glob.matches(value)) return glob.source;
    return undefined;
  }
}
