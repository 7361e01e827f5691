/** A half-open range [start, end) of string indices. */
export interface CharRange {
  start: number;
  end: number;
}

/** Sorted, disjoint cover of the given ranges (touching ranges merge); empty ranges vanish. */
export function unionRanges(ranges: readonly CharRange[]): CharRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: CharRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

export function totalLength(ranges: readonly CharRange[]): number {
  let total = 0;
  for (const range of ranges) total += Math.max(0, range.end - range.start);
  return total;
}

/** Length of the intersection of two disjoint sorted covers (as `unionRanges` returns). */
export function intersectionLength(a: readonly CharRange[], b: readonly CharRange[]): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as CharRange;
    const y = b[j] as CharRange;
    total += Math.max(0, Math.min(x.end, y.end) - Math.max(x.start, y.start));
    if (x.end < y.end) i++;
    else j++;
  }
  return total;
}

export function overlaps(a: CharRange, b: CharRange): boolean {
  return Math.min(a.end, b.end) > Math.max(a.start, b.start);
}
