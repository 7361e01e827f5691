import type { Sizer } from '../strategy.ts';

/** Generic levels after a language's declaration starts: blank lines, lines, words. */
const genericLevels: readonly (readonly string[])[] = [['\n\n'], ['\n'], [' ', '\t']];

/** Positions just past the first character of each occurrence of any separator inside (start, end). */
function separatorPositions(
  text: string,
  separators: readonly string[],
  start: number,
  end: number,
): number[] {
  // Searching a slice keeps each scan inside the piece instead of running on to the text's end.
  const piece = text.slice(start, end);
  const positions = new Set<number>();
  for (const separator of separators) {
    for (let i = piece.indexOf(separator); i >= 0; i = piece.indexOf(separator, i + 1)) {
      if (i + 1 < piece.length) positions.add(start + i + 1);
    }
  }
  return [...positions].sort((a, b) => a - b);
}

/**
 * The parser-less fallback of the `code` strategy: cuts at the language's declaration starts,
 * then, inside pieces still too big, at blank lines, line breaks and spaces (like a recursive
 * character splitter with language separators, e.g. LangChain's `fromLanguage`).
 */
export function separatorCuts(
  text: string,
  declarationSeparators: readonly string[],
  sizer: Sizer,
  maxSize: number,
): number[] {
  const levels = declarationSeparators.length > 0 ? [declarationSeparators, ...genericLevels] : genericLevels;
  const cuts: number[] = [];
  const visit = (start: number, end: number, level: number) => {
    if (level >= levels.length || sizer.measure(start, end) <= maxSize) return;
    const inner = separatorPositions(text, levels[level] as readonly string[], start, end);
    let from = start;
    for (const to of [...inner, end]) {
      visit(from, to, level + 1);
      if (to < end) cuts.push(to);
      from = to;
    }
  };
  visit(0, text.length, 0);
  return cuts;
}
