/** Character-class helpers over UTF-16 code units, shared by sizers and strategies. */

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** True when `position` falls between the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, position: number): boolean {
  return (
    position > 0 &&
    position < text.length &&
    isLowSurrogate(text.charCodeAt(position)) &&
    isHighSurrogate(text.charCodeAt(position - 1))
  );
}

/** Exactly the code points JavaScript's `\s` matches (WhiteSpace and LineTerminator). */
export function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** First index in [start, end) that is not whitespace, or `end`. */
export function skipWhitespace(text: string, start: number, end: number): number {
  let position = start;
  while (position < end && isWhitespace(text.charCodeAt(position))) position++;
  return position;
}

/** One past the last index in [start, end) that is not whitespace, or `start`. */
export function trimWhitespaceEnd(text: string, start: number, end: number): number {
  let position = end;
  while (position > start && isWhitespace(text.charCodeAt(position - 1))) position--;
  return position;
}

/** Offset just after the code point that starts at `position`. */
export function nextCodePoint(text: string, position: number): number {
  return isHighSurrogate(text.charCodeAt(position)) && isLowSurrogate(text.charCodeAt(position + 1))
    ? position + 2
    : position + 1;
}
