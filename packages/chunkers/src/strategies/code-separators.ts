/**
 * Line starts of declarations (the offset just after the newline of each `\nfunc `, `\nclass `…):
 * the parser-less fallback's preferred cut points, like LangChain's `fromLanguage` separators
 * but cutting before the keyword so each declaration opens its chunk. Only those in [from, to).
 */
export function declarationStarts(
  text: string,
  separators: readonly string[],
  from: number,
  to: number,
): number[] {
  const starts = new Set<number>();
  // Searched in the range alone (a separator's newline may be the one just before `from`): an
  // absent separator costs the range, not the rest of the text.
  const offset = Math.max(0, from - 1);
  const range = text.slice(offset, to);
  for (const separator of separators) {
    for (
      let i = range.indexOf(separator);
      i >= 0 && offset + i + 1 < to;
      i = range.indexOf(separator, i + 1)
    ) {
      starts.add(offset + i + 1);
    }
  }
  return [...starts].sort((a, b) => a - b);
}
