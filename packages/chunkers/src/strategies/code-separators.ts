/**
 * Line starts of declarations (the offset just after the newline of each `\nfunc `, `\nclass `…):
 * the parser-less fallback's preferred cut points, like LangChain's `fromLanguage` separators
 * but cutting before the keyword so each declaration opens its chunk.
 */
export function declarationStarts(text: string, separators: readonly string[]): Int32Array {
  const starts: number[] = [];
  for (const separator of separators) {
    for (let i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, i + 1)) starts.push(i + 1);
  }
  return Int32Array.from(new Set(starts)).sort();
}
