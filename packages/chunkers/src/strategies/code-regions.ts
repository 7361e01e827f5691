import { isWhitespace, skipWhitespace as skipBlank, trimWhitespaceEnd } from '../text/code-units.ts';
import { fenceMarker } from '../text/fence.ts';

/** A run of blocks of one kind: code goes to the parser, prose only to the separators. */
export interface Region {
  start: number;
  end: number;
  code: boolean;
}

const isLetter = (code: number) =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code >= 0xc0;

/** `;{}()=<>`: common in code, rare in running text (brackets are Markdown's too). */
function isCodePunctuation(code: number): boolean {
  return (
    code === 0x3b ||
    code === 0x7b ||
    code === 0x7d ||
    code === 0x28 ||
    code === 0x29 ||
    code === 0x3d ||
    code === 0x3c ||
    code === 0x3e
  );
}

/** Code lines end in `;`, `{`, `}`, `(`, `)`, `[` or `]`, or open with a closing bracket. */
const isCodeEnd = (code: number) =>
  code === 0x3b ||
  code === 0x7b ||
  code === 0x7d ||
  code === 0x28 ||
  code === 0x29 ||
  code === 0x5b ||
  code === 0x5d;
const isClosing = (code: number) => code === 0x7d || code === 0x29 || code === 0x5d;
/** A line opening with a closing bracket, `>` included (a type parameter list's `> {`), ends a construct. */
const closesConstruct = (code: number) => isClosing(code) || code === 0x3e;
/** A line ending in `{`, `(`, `[`, `<`, `:`, `,` or `=` goes on in the next one. */
const isOpener = (code: number) =>
  code === 0x7b ||
  code === 0x28 ||
  code === 0x5b ||
  code === 0x3c ||
  code === 0x3a ||
  code === 0x2c ||
  code === 0x3d;
/** Comment openers (`/`, `*`, `#`): lines of comments are neither code nor prose here. */
const isCommentStart = (code: number) => code === 0x2f || code === 0x2a || code === 0x23;

type LineKind = 'code' | 'prose' | 'neutral';

/** Running text: six words or more, at most two code punctuation marks. */
const PROSE_WORDS = 6;
const PROSE_PUNCTUATION = 2;

function lineKind(text: string, start: number, end: number): LineKind {
  let first = start;
  while (first < end && isWhitespace(text.charCodeAt(first))) first++;
  let last = end;
  while (last > first && isWhitespace(text.charCodeAt(last - 1))) last--;
  const head = text.charCodeAt(first);
  if (head === 0x3e) return 'prose'; // a Markdown quote
  if (isCommentStart(head)) return 'neutral';
  let words = 0;
  let punctuation = 0;
  let inWord = false;
  for (let i = first; i < last; i++) {
    const code = text.charCodeAt(i);
    const letter = isLetter(code);
    if (letter && !inWord) words++;
    inWord = letter;
    if (isCodePunctuation(code)) {
      // `](`: a Markdown link or image, whose brackets say nothing about code.
      if (code === 0x28 && text.charCodeAt(i - 1) === 0x5d) return 'prose';
      if (++punctuation > PROSE_PUNCTUATION) break;
    }
  }
  if (words >= PROSE_WORDS && punctuation <= PROSE_PUNCTUATION) return 'prose';
  const tail = text.charCodeAt(last - 1);
  // `def f(x):`, `if (a) {`: a colon ends a code line when brackets or `=` came before it.
  if (isClosing(head) || isCodeEnd(tail) || (tail === 0x3a && punctuation > 0)) return 'code';
  return 'neutral';
}

/**
 * A block is code when it has code lines and no more prose lines; one with neither (comments,
 * short lines) goes with the block before it, so a comment between declarations stays in their
 * region instead of cutting it in two fragments that would parse badly.
 */
function blockIsCode(prose: number, code: number, previous: boolean | undefined): boolean {
  if (code === 0 && prose === 0) return previous ?? false;
  return code > 0 && code >= prose;
}

/**
 * Cuts the text into blocks (runs of non-blank lines, each with the blank lines after it) and
 * joins neighbouring blocks of one kind into regions. One pass over the characters, no regex: the
 * point is to keep prose away from a parser whose error recovery on it costs far more than this.
 */
export function codeRegions(text: string): Region[] {
  const regions: Region[] = [];
  const add = (start: number, end: number, code: boolean) => {
    const previous = regions[regions.length - 1];
    if (previous !== undefined && previous.code === code) previous.end = end;
    else if (end > start) regions.push({ start, end, code });
  };
  let blockStart = 0;
  let lines = 0;
  let prose = 0;
  let code = 0;
  let afterBlank = false;
  const closeBlock = (at: number) => {
    // A first block with neither code nor prose lines waits for the next to decide.
    if (prose + code === 0 && regions.length === 0 && at < text.length) return;
    if (lines > 0) add(blockStart, at, blockIsCode(prose, code, regions.at(-1)?.code));
    blockStart = at;
    lines = prose = code = 0;
    afterBlank = false;
  };
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const next = newline < 0 ? text.length : newline + 1;
    if (skipBlank(text, start, end) === end) {
      afterBlank = lines > 0;
    } else if (fenceMarker(text, start, end) !== undefined) {
      // A Markdown fence line is prose and a block of its own: what it opens or closes is parsed alone.
      closeBlock(start);
      add(start, next, false);
      blockStart = next;
    } else {
      if (afterBlank) closeBlock(start);
      lines++;
      const kind = lineKind(text, start, end);
      if (kind === 'prose') prose++;
      else if (kind === 'code') code++;
    }
    start = next;
  }
  closeBlock(text.length);
  // Leading or trailing blank lines alone: they go with their neighbour (or are the whole text).
  if (regions.length === 0) return text.length > 0 ? [{ start: 0, end: text.length, code: false }] : [];
  (regions[0] as Region).start = 0;
  (regions[regions.length - 1] as Region).end = text.length;
  return regions;
}

/** Leading blanks of the line starting at `start` that ends at `end`. */
function indentOf(text: string, start: number, end: number): number {
  let at = start;
  while (at < end && (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09)) at++;
  return at - start;
}

/**
 * The units of a range of code at one indentation: a new one at each line indented by exactly
 * `indent` that does not close a bracket and follows a blank line, a line of code at this level
 * or above that opens no block (or ends a list item with a comma), or, for a comment line, any
 * line that does not go on; there a declaration, a statement or a member, or the comment above
 * one, usually begins (indent 0: the top level). A unit that fits the chunk size needs no parse: its start is the only cut it would get.
 */
export function indentedUnits(text: string, range: Region, indent: number): Region[] {
  const units: Region[] = [];
  let unitStart = range.start;
  let afterBlank = false;
  // The previous non-blank line ended a statement at this level or above (not deeper, not opening a block).
  let afterStatement = false;
  // The previous non-blank line opened a block or goes on in the next one.
  let afterOpener = false;
  for (let start = range.start; start < range.end; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 || newline > range.end ? range.end : newline;
    const content = skipBlank(text, start, end);
    if (content === end) {
      afterBlank = true;
    } else {
      const lead = indentOf(text, start, end);
      const head = text.charCodeAt(content);
      const opens = lead === indent && !closesConstruct(head);
      // A comment at this level heads what follows it, even right after the deeper lines of a
      // declaration (a multi-line type alias), unless the line before goes on.
      const separated = afterBlank || afterStatement || (isCommentStart(head) && !afterOpener);
      if (separated && start > unitStart && opens) {
        units.push({ start: unitStart, end: start, code: true });
        unitStart = start;
      }
      afterBlank = false;
      const tail = text.charCodeAt(trimWhitespaceEnd(text, content, end) - 1);
      afterOpener = isOpener(tail);
      // A comma at this level ends an item of a list (an object's member, an argument): the next
      // line at this level is its sibling. A comment ends nothing: it stays with what it precedes.
      afterStatement =
        lead <= indent && !isCommentStart(head) && (!afterOpener || (tail === 0x2c && lead === indent));
    }
    start = end + 1;
  }
  units.push({ start: unitStart, end: range.end, code: true });
  return units;
}

/** A line opening with `/`, `*` or `#` (a comment, a doc comment's inside, an attribute). */
function isCommentLine(text: string, start: number, end: number): boolean {
  const content = skipBlank(text, start, end);
  return content < end && isCommentStart(text.charCodeAt(content));
}

/** True when no line of `range` but its first holds more than whitespace. */
export function isOneLine(text: string, range: Region): boolean {
  const newline = text.indexOf('\n', range.start);
  return newline < 0 || newline >= trimWhitespaceEnd(text, range.start, range.end);
}

/** End of the line starting at `start`, within `end`. */
function lineEnd(text: string, start: number, end: number): number {
  const newline = text.indexOf('\n', start);
  return newline < 0 || newline > end ? end : newline;
}

/**
 * The indentation a unit is cut at next: the least of its lines after the head (its first line
 * that is not blank or a comment, so a doc comment above a declaration does not hide it),
 * closing brackets and comments aside, when that is deeper than `outer`, the indentation the unit
 * was cut out at; else -1. Usually it is the body's (a class's members, a function's statements);
 * in a unit that begins inside a block (a region cut mid-function), the statements after that block.
 */
export function bodyIndent(text: string, unit: Region, outer: number): number {
  let headStart = unit.start;
  let headEnd = lineEnd(text, headStart, unit.end);
  while (
    headEnd < unit.end &&
    (skipBlank(text, headStart, headEnd) === headEnd || isCommentLine(text, headStart, headEnd))
  ) {
    headStart = headEnd + 1;
    headEnd = lineEnd(text, headStart, unit.end);
  }
  let least = Number.POSITIVE_INFINITY;
  for (let start = headEnd + 1; start < unit.end; ) {
    const end = lineEnd(text, start, unit.end);
    const lead = indentOf(text, start, end);
    const code = text.charCodeAt(start + lead);
    if (start + lead < end && !closesConstruct(code) && !isCommentStart(code)) least = Math.min(least, lead);
    start = end + 1;
  }
  return least > outer && least !== Number.POSITIVE_INFINITY ? least : -1;
}
