/**
 * The pre-tokenizer patterns of cl100k_base and o200k_base (gpt-tokenizer's constants), run by hand
 * over ASCII text: where the piece starting at `start` ends, exactly where the sticky regex ends it,
 * or NOT_ASCII when the answer depends on a character outside ASCII (any read of one gives up, so
 * Unicode letters, digits, marks and spaces never need classifying here). The regex takes the piece
 * then; the next piece is scanned again. Walking a text's pieces this way costs a fraction of the
 * regex's calls, which dominate counting tokens. test/token-count.test.ts compares it with the
 * package's own patterns, so a dependency upgrade that changes them fails there.
 *
 * Each alternative below names the part of the pattern it stands for. With nothing after the
 * alternation, a greedy quantifier takes all it can; the only backtracking that changes a match is
 * in the whitespace alternatives, spelt out there.
 */

/** The scanner read a non-ASCII character: only the regex can tell the piece's end. */
export const NOT_ASCII = -1;

const LETTER = 1;
const UPPER = 2;
const LOWER = 4;
const DIGIT = 8;
/** `\s` */
const SPACE = 16;
/** `[\r\n]` */
const NEWLINE = 32;
/** `[^\s\p{L}\p{N}]` */
const OTHER = 64;
const SLASH = 128;
/** Past the end of the text (the `$` of `\s+$`, the `(?!\S)` that succeeds at the end). */
const END = 256;

const ASCII_CLASSES = (() => {
  const classes = new Uint16Array(0x80);
  for (let code = 0; code < 0x80; code++) {
    const char = String.fromCharCode(code);
    if (/[A-Z]/.test(char)) classes[code] = LETTER | UPPER;
    else if (/[a-z]/.test(char)) classes[code] = LETTER | LOWER;
    else if (/[0-9]/.test(char)) classes[code] = DIGIT;
    else if (/[\r\n]/.test(char)) classes[code] = SPACE | NEWLINE;
    else if (/\s/.test(char)) classes[code] = SPACE;
    else classes[code] = char === '/' ? OTHER | SLASH : OTHER;
  }
  return classes;
})();

/** The class bits of the character at `at`, END past `end`, or NOT_ASCII. */
function classAt(text: string, at: number, end: number): number {
  if (at >= end) return END;
  const code = text.charCodeAt(at);
  return code < 0x80 ? (ASCII_CLASSES[code] as number) : NOT_ASCII;
}

/** Where the run of characters of a class in `mask` starting at `from` ends, or NOT_ASCII. */
function runEnd(text: string, from: number, end: number, mask: number): number {
  for (let at = from; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0x80) return NOT_ASCII;
    if (((ASCII_CLASSES[code] as number) & mask) === 0) return at;
  }
  return end;
}

const APOSTROPHE = 0x27;
/** ASCII letters folded to lower case by one bit (no other code unit folds onto them). */
const lower = (code: number) => code | 0x20;

/**
 * `'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])` at `at` (an apostrophe): the contraction's
 * end, 0 when none matches, or NOT_ASCII.
 */
function contractionEnd(text: string, at: number, end: number): number {
  if (at + 1 >= end) return 0;
  const first = text.charCodeAt(at + 1);
  if (first >= 0x80) return NOT_ASCII;
  const letter = lower(first);
  if (letter === 0x73 || letter === 0x64 || letter === 0x6d || letter === 0x74) return at + 2; // s d m t
  const second = letter === 0x6c ? 0x6c : letter === 0x76 || letter === 0x72 ? 0x65 : 0; // ll ve re
  if (second === 0 || at + 2 >= end) return 0;
  const next = text.charCodeAt(at + 2);
  if (next >= 0x80) return NOT_ASCII;
  return lower(next) === second ? at + 3 : 0;
}

/** `\p{N}{1,3}` from `start` (a digit). */
function digitsEnd(text: string, start: number, end: number): number {
  let at = start + 1;
  for (; at < start + 3; at++) {
    const kind = classAt(text, at, end);
    if (kind === NOT_ASCII) return NOT_ASCII;
    if ((kind & DIGIT) === 0) break;
  }
  return at;
}

/** `[^\s\p{L}\p{N}]+` from `from` (such a character), then a run of `tail`. */
function otherEnd(text: string, from: number, end: number, tail: number): number {
  const others = runEnd(text, from, end, OTHER);
  return others === NOT_ASCII ? NOT_ASCII : runEnd(text, others, end, tail);
}

/** After the last `[\r\n]` in [from, to), or 0 when there is none. */
function afterLastNewline(text: string, from: number, to: number): number {
  for (let at = to - 1; at >= from; at--) {
    if (((ASCII_CLASSES[text.charCodeAt(at)] as number) & NEWLINE) !== 0) return at + 1;
  }
  return 0;
}

/**
 * `\s+$|\s*[\r\n]|\s+(?!\S)|\s` from `start` (whitespace). The run of whitespace ends at `run`:
 * `\s*[\r\n]` backtracks to the run's last line break; `\s+(?!\S)` gives back the run's last
 * character, which leaves a match only when the run is longer than one.
 */
function cl100kSpaceEnd(text: string, start: number, end: number): number {
  const run = runEnd(text, start, end, SPACE);
  if (run === NOT_ASCII) return NOT_ASCII;
  if (run === end) return end;
  const afterBreak = afterLastNewline(text, start, run);
  if (afterBreak !== 0) return afterBreak;
  return run - start >= 2 ? run - 1 : start + 1;
}

/** `\s*[\r\n]+|\s+(?!\S)|\s+` from `start` (whitespace); see cl100kSpaceEnd. */
function o200kSpaceEnd(text: string, start: number, end: number): number {
  const run = runEnd(text, start, end, SPACE);
  if (run === NOT_ASCII) return NOT_ASCII;
  const afterBreak = afterLastNewline(text, start, run);
  if (afterBreak !== 0) return afterBreak;
  if (run === end) return end;
  return run - start >= 2 ? run - 1 : start + 1;
}

/** No word starts here (see wordStart). */
const NO_WORD = -2;

/**
 * The optional `[^\r\n\p{L}\p{N}]` before a word: where the word's letters start when the
 * character at `start` (of class `kind`) is one or begins the word, else NO_WORD or NOT_ASCII.
 */
function wordStart(text: string, start: number, end: number, kind: number): number {
  if ((kind & LETTER) !== 0) return start;
  if ((kind & (NEWLINE | DIGIT)) !== 0) return NO_WORD;
  const next = classAt(text, start + 1, end);
  if (next === NOT_ASCII) return NOT_ASCII;
  return (next & LETTER) !== 0 ? start + 1 : NO_WORD;
}

/**
 * The rest of both patterns once no word starts at `start`: `\p{N}{1,3}`, then ` ?[^\s\p{L}\p{N}]+`
 * with its trailing run (`[\r\n]*` or `[\r\n/]*`), then the whitespace alternatives.
 */
function nonWordEnd(
  text: string,
  start: number,
  end: number,
  kind: number,
  otherTail: number,
  spaceEnd: (text: string, start: number, end: number) => number,
): number {
  if ((kind & DIGIT) !== 0) return digitsEnd(text, start, end);
  if ((kind & OTHER) !== 0) return otherEnd(text, start + 1, end, otherTail);
  if (text.charCodeAt(start) === 0x20) {
    const next = classAt(text, start + 1, end);
    if (next === NOT_ASCII) return NOT_ASCII;
    if ((next & OTHER) !== 0) return otherEnd(text, start + 2, end, otherTail);
  }
  return spaceEnd(text, start, end);
}

/** cl100k_base's piece from `start` (< end), or NOT_ASCII. */
export function cl100kPieceEnd(text: string, start: number, end: number): number {
  const kind = classAt(text, start, end);
  if (kind === NOT_ASCII) return NOT_ASCII;
  if (text.charCodeAt(start) === APOSTROPHE) {
    const contraction = contractionEnd(text, start, end);
    if (contraction !== 0) return contraction;
  }
  // [^\r\n\p{L}\p{N}]?\p{L}+
  const letters = wordStart(text, start, end, kind);
  if (letters === NOT_ASCII) return NOT_ASCII;
  if (letters !== NO_WORD) return runEnd(text, letters + 1, end, LETTER);
  return nonWordEnd(text, start, end, kind, NEWLINE, cl100kSpaceEnd);
}

/**
 * o200k_base's piece from `start` (< end), or NOT_ASCII. Its two word alternatives,
 * `[^\r\n\p{L}\p{N}]?` then `[\p{Lu}…]*[\p{Ll}…]+` or `[\p{Lu}…]+[\p{Ll}…]*`, each with an optional
 * contraction: over ASCII, the upper-case run then the lower-case run, whichever is not empty.
 */
export function o200kPieceEnd(text: string, start: number, end: number): number {
  const kind = classAt(text, start, end);
  if (kind === NOT_ASCII) return NOT_ASCII;
  const letters = wordStart(text, start, end, kind);
  if (letters === NOT_ASCII) return NOT_ASCII;
  if (letters === NO_WORD) {
    return nonWordEnd(text, start, end, kind, NEWLINE | SLASH, o200kSpaceEnd);
  }
  const upper = runEnd(text, letters, end, UPPER);
  if (upper === NOT_ASCII) return NOT_ASCII;
  const word = runEnd(text, upper, end, LOWER);
  if (word === NOT_ASCII) return NOT_ASCII;
  if (word === end || text.charCodeAt(word) !== APOSTROPHE) return word;
  const contraction = contractionEnd(text, word, end);
  return contraction === 0 ? word : contraction;
}
