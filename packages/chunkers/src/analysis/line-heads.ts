/**
 * Analysis reads at most this much of each line: a line's kind (a declaration, a heading, a list
 * item) shows at its start, and the line patterns then cost O(1) per line however long it is.
 */
const LINE_HEAD_CHARS = 512;

export function lineHead(line: string): string {
  return line.length > LINE_HEAD_CHARS ? line.slice(0, LINE_HEAD_CHARS) : line;
}

/** The heads of the lines of `text` that hold more than whitespace. */
export function nonBlankLineHeads(text: string): string[] {
  const heads: string[] = [];
  for (const line of text.split('\n')) if (line.trim() !== '') heads.push(lineHead(line));
  return heads;
}
