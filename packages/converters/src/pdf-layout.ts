/** One run of text as pdf.js reports it: its string, baseline position and font height. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  endsLine: boolean;
}

export interface Line {
  text: string;
  y: number;
  height: number;
}

/** Runs on one baseline (within half a glyph height) form a line; a gap wider than a space is one. */
export function groupLines(runs: readonly TextRun[]): Line[] {
  const lines: Line[] = [];
  // `last` is the run the line ends with: its text ends the line's, and testing it instead of the
  // line's growing text keeps a line of many runs linear.
  let current: (Line & { right: number; last: string }) | undefined;
  let previousEnded = false;
  for (const run of runs) {
    if (run.text === '') {
      previousEnded ||= run.endsLine;
      continue;
    }
    const tolerance = Math.max(run.height, current?.height ?? 0, 1) / 2;
    if (current && !previousEnded && Math.abs(run.y - current.y) <= tolerance) {
      const gap = run.x - current.right;
      const spaced = /\s$/.test(current.last) || /^\s/.test(run.text);
      current.text += !spaced && gap > run.height * 0.15 ? ` ${run.text}` : run.text;
      current.last = run.text;
      current.right = run.x + run.width;
      current.height = Math.max(current.height, run.height);
    } else {
      current = { text: run.text, y: run.y, height: run.height, right: run.x + run.width, last: run.text };
      lines.push(current);
    }
    previousEnded = run.endsLine;
  }
  const grouped: Line[] = [];
  for (const { text, y, height } of lines) {
    const collapsed = collapseSpaces(text);
    if (collapsed !== '') grouped.push({ text: collapsed, y, height });
  }
  return grouped;
}

/** Whitespace runs as one space, trimmed; most lines have none to collapse, which is tested first. */
function collapseSpaces(text: string): string {
  return (/[^\S ]|\s\s/.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
}

/** A line's text with digits masked, so "Page 3 of 9" repeats as "page # of #" on every page. */
const repeatKey = (line: Line) => line.text.toLowerCase().replace(/\d+/g, '#');

/**
 * Drops running headers and footers: a first or last line of a page whose masked text is the
 * first or last line of at least 60% of the pages (documents of three pages or more).
 */
export function dropRunningLines(pages: Line[][]): Line[][] {
  if (pages.length < 3) return pages;
  const repeated = (pick: (lines: Line[]) => Line | undefined) => {
    const counts = new Map<string, number>();
    for (const lines of pages) {
      const line = pick(lines);
      if (line) counts.set(repeatKey(line), (counts.get(repeatKey(line)) ?? 0) + 1);
    }
    return new Set([...counts].filter(([, count]) => count >= pages.length * 0.6).map(([key]) => key));
  };
  const headers = repeated((lines) => lines[0]);
  const footers = repeated((lines) => lines.at(-1));
  return pages.map((lines) => {
    let from = 0;
    let to = lines.length;
    if (lines[0] && headers.has(repeatKey(lines[0]))) from = 1;
    if (to > from && footers.has(repeatKey(lines[to - 1] as Line))) to -= 1;
    return lines.slice(from, to);
  });
}

/** The most common line height, weighted by characters: the body text's size. */
export function bodyHeight(pages: readonly Line[][]): number {
  const weights = new Map<number, number>();
  for (const line of pages.flat()) {
    const height = Math.round(line.height * 10) / 10;
    weights.set(height, (weights.get(height) ?? 0) + line.text.length);
  }
  return [...weights].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

const HEADING_SCALE = 1.2;
const MAX_HEADING_CHARS = 150;

/** Heading levels by size: the largest heading size is level 1, the next 2, the rest 3. */
export function headingLevels(pages: readonly Line[][], body: number): Map<number, number> {
  const sizes = new Set<number>();
  for (const line of pages.flat())
    if (isHeadingSized(line, body)) sizes.add(Math.round(line.height * 10) / 10);
  const ordered = [...sizes].sort((a, b) => b - a);
  return new Map(ordered.map((size, index) => [size, Math.min(index + 1, 3)]));
}

function isHeadingSized(line: Line, body: number): boolean {
  return body > 0 && line.height >= body * HEADING_SCALE && line.text.length <= MAX_HEADING_CHARS;
}

/**
 * A page's lines as markdown blocks: lines join into paragraphs in reading order (a new one after
 * a gap taller than 1.5 lines, a move up the page, or a change of size), hyphenation at line ends
 * is undone, and lines sized like headings become ATX headings.
 */
export function pageBlocks(lines: readonly Line[], levels: Map<number, number>): string[] {
  const blocks: string[] = [];
  // The paragraph's lines, joined when it ends: hyphenation is tested on its last line alone
  // rather than on the whole paragraph each time.
  let paragraph: string[] = [];
  let previous: Line | undefined;
  const flush = () => {
    const text = paragraph.join(' ');
    if (text) blocks.push(text.startsWith('#') ? `\\${text}` : text);
    paragraph = [];
  };
  for (const line of lines) {
    const level = levels.get(Math.round(line.height * 10) / 10);
    if (level !== undefined) {
      flush();
      blocks.push(`${'#'.repeat(level)} ${line.text}`);
      previous = undefined;
      continue;
    }
    const breaks =
      previous === undefined ||
      line.y > previous.y ||
      previous.y - line.y > previous.height * 1.5 * 1.2 ||
      Math.abs(line.height - previous.height) > previous.height * 0.1;
    if (breaks) flush();
    appendLine(paragraph, line.text);
    previous = line;
  }
  flush();
  return blocks;
}

/**
 * "hyphen-" + "ated" → "hyphenated"; a dash before a capital or digit stays ("Jean-" + "Paul").
 * Testing the last line alone tests the paragraph's end: lines are joined by a space, so no letter
 * precedes a line of one character.
 */
function appendLine(lines: string[], line: string): void {
  const last = lines.at(-1);
  if (last !== undefined && /\p{L}[-\u00ad]$/u.test(last) && /^\p{Ll}/u.test(line)) {
    lines[lines.length - 1] = last.slice(0, -1) + line;
  } else {
    lines.push(line);
  }
}
