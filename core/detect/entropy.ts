/** Shannon entropy in bits per character (UTF-16 code units), without allocating for ASCII values. */

const counts = new Int32Array(128);

export function shannonEntropy(value: string): number {
  const n = value.length;
  if (n === 0) return 0;
  let other: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) counts[c] = (counts[c] as number) + 1;
    else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) continue;
    const k = counts[c] as number;
    if (k === 0) continue; // already counted: each distinct character contributes once
    const p = k / n;
    bits -= p * Math.log2(p);
    counts[c] = 0;
  }
  if (other !== undefined) {
    for (const k of other.values()) {
      const p = k / n;
      bits -= p * Math.log2(p);
    }
  }
  return bits;
}
