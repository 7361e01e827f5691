const HASH = 0x23;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;

const isBlank = (code: number) => code === SPACE || code === TAB;
/** Characters a regex `.` does not match: an ATX heading line never holds them before its end. */
const isLineTerminator = (code: number) => code === CR || code === 0x2028 || code === 0x2029 || code === 0x0a;

export interface AtxHeading {
  level: number;
  /** The heading text, trimmed, without the closing `#` sequence. */
  text: string;
}

/**
 * A CommonMark ATX heading line (`## Title ##`), read by a scanner in one pass: up to 3 spaces,
 * 1-6 `#`, then the end or a blank, the text, an optional closing `#` run after a blank, trailing
 * blanks and an optional `\r`. The rules are those of the regex it replaces
 * (`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?$`), whose backtracking was cubic in the
 * length of a line of blanks.
 */
export function atxHeading(line: string): AtxHeading | undefined {
  let open = 0;
  while (open < 3 && line.charCodeAt(open) === SPACE) open++;
  let hashesEnd = open;
  while (line.charCodeAt(hashesEnd) === HASH) hashesEnd++;
  const level = hashesEnd - open;
  if (level < 1 || level > 6) return undefined;
  const end = line.charCodeAt(line.length - 1) === CR ? line.length - 1 : line.length;
  if (hashesEnd < end && !isBlank(line.charCodeAt(hashesEnd))) return undefined;
  for (let i = hashesEnd; i < end; i++) if (isLineTerminator(line.charCodeAt(i))) return undefined;
  // The text runs from the first non-blank to the last, less a closing `#` run after a blank.
  let textStart = hashesEnd;
  while (textStart < end && isBlank(line.charCodeAt(textStart))) textStart++;
  let textEnd = end;
  while (textEnd > textStart && isBlank(line.charCodeAt(textEnd - 1))) textEnd--;
  let closing = textEnd;
  while (closing > textStart && line.charCodeAt(closing - 1) === HASH) closing--;
  if (closing < textEnd && closing > textStart && isBlank(line.charCodeAt(closing - 1))) {
    textEnd = closing;
    while (isBlank(line.charCodeAt(textEnd - 1))) textEnd--;
  }
  return { level, text: line.slice(textStart, textEnd).trim() };
}
