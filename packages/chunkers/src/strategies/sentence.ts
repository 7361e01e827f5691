import { SeparatorBoundaries, SortedBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import { IntList } from '../sizing/int-list.ts';
import type { CommonConfig, NoOptions, Span, StrategyContext, StrategyDefinition } from '../strategy.ts';
import { splitsSurrogatePair } from '../text/code-units.ts';

export interface SentenceConfig extends CommonConfig {
  strategy: 'sentence';
}

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

/**
 * V8's segment iterator slows down quadratically on long strings (400 KB: seconds), so the text
 * is segmented in windows of a few KB (2 KB segments faster than 4 KB). A window preferably ends
 * after a line break, which is always a sentence boundary (UAX #29 SB4), so the result is exact; a
 * window inside one long line keeps the boundaries before its last one and the next window starts
 * at the one before that (see below).
 */
const WINDOW = 2048;

/**
 * The text segmented last and its starts: a sentence chunking and then its quality metrics (when a
 * chunk ends in a line too long for startsSentence to judge alone) segment the same text, and
 * segmenting is most of what either costs. One text only, so nothing larger than the text in hand
 * is held.
 */
let lastSegmented: { text: string; starts: Int32Array } | undefined;

/**
 * Sentence starts by Unicode sentence rules (UAX #29 via ICU): CJK, Greek, Cyrillic, … alike.
 * Callers read the array and never change it: the next caller with the same text gets it too.
 */
export function sentenceStarts(text: string): Int32Array {
  if (lastSegmented?.text === text) return lastSegmented.starts;
  const starts = segmentedStarts(text);
  lastSegmented = { text, starts };
  return starts;
}

function segmentedStarts(text: string): Int32Array {
  const starts = new IntList(text.length >> 6);
  let from = 0;
  let size = WINDOW;
  while (from < text.length) {
    let window = text.slice(from, from + size);
    let exact = from + window.length === text.length;
    if (!exact) {
      const lineEnd = window.lastIndexOf('\n') + 1;
      if (lineEnd > size / 4) {
        window = window.slice(0, lineEnd);
        exact = true;
      } else if (splitsSurrogatePair(text, from + window.length)) {
        window = window.slice(0, -1);
      }
    }
    let lastStart = 0;
    let previousStart = 0;
    for (const { index } of sentenceSegmenter.segment(window)) {
      if (index > 0) {
        if (lastStart > 0) starts.push(from + lastStart);
        previousStart = lastStart;
        lastStart = index;
      }
    }
    if (exact || lastStart === 0) {
      if (lastStart > 0) starts.push(from + lastStart);
      from += window.length;
      size = WINDOW;
      // After a line break the next window starts a sentence; a long line's cut does not.
      if (exact && from < text.length) starts.push(from);
    } else if (previousStart > 0) {
      // The last boundary was judged without all the text after it (UAX #29 looks ahead past a
      // full stop for a lower-case letter), so the next window starts at the one before, which
      // had a whole sentence after it, and judges the last again.
      from += previousStart;
      size = WINDOW;
    } else {
      // One boundary, judged without all the text after it, and none before it to restart from
      // (a window starts at no boundary of its own): the same start with a window twice as long.
      size *= 2;
    }
  }
  return starts.view();
}

/**
 * Lines up to this long are judged alone by startsSentence: sentenceStarts segments them within
 * windows that end at line breaks (a window is cut inside a line only when a longer one follows).
 */
const MAX_LINE_ALONE = WINDOW / 4;

/**
 * Whether a sentence starts at `offset`, as `sentenceStarts(text)` says, segmenting only the line
 * around it: a line break ends a sentence (UAX #29 SB4) and no rule looks across one, so a line
 * has the same boundaries alone as in the whole text. A longer line is judged from the whole
 * text's starts, so the two always agree.
 */
export function startsSentence(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const line = shortLineAround(text, offset);
  if (line === undefined) return sortedIncludes(sentenceStarts(text), offset);
  if (line.start === offset) return true;
  for (const { index } of sentenceSegmenter.segment(text.slice(line.start, line.end))) {
    if (line.start + index >= offset) return line.start + index === offset;
  }
  return false;
}

/**
 * The line holding `offset` (from after the line break before it, through the one after it), or
 * undefined when it is longer than MAX_LINE_ALONE: found reading at most that many characters, so
 * judging every chunk end of a text that is one long line costs no pass over the line each.
 */
function shortLineAround(text: string, offset: number): { start: number; end: number } | undefined {
  let start = offset;
  while (start > 0 && text.charCodeAt(start - 1) !== LINE_FEED) {
    if (offset - start >= MAX_LINE_ALONE) return undefined;
    start--;
  }
  let end = offset;
  while (end < text.length && text.charCodeAt(end) !== LINE_FEED) {
    if (end - start >= MAX_LINE_ALONE) return undefined;
    end++;
  }
  if (end < text.length) end++;
  return end - start > MAX_LINE_ALONE ? undefined : { start, end };
}

const LINE_FEED = 0x0a;

function sortedIncludes(sorted: Int32Array, value: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return sorted[low] === value;
}

/**
 * Packs whole sentences up to `chunkSize`; the overlap is whole sentences too. A sentence longer
 * than the size is cut at line breaks, then spaces, then anywhere.
 */
export const sentenceStrategy: StrategyDefinition<SentenceConfig, NoOptions, never> = {
  name: 'sentence',
  aliases: [],
  description:
    'Packs whole sentences (Intl.Segmenter, any language) up to chunkSize with sentence-level overlap.',
  bestFor: ['prose', 'multilingual text', 'question answering'],
  options: {},
  normalize: () => ({}),
  split({ text, config, sizer, meter }: StrategyContext<SentenceConfig>): Span[] {
    return packRange(text, sizer, 0, text.length, {
      chunkSize: config.chunkSize,
      chunkOverlap: config.chunkOverlap,
      levels: [
        new SortedBoundaries(sentenceStarts(text)),
        new SeparatorBoundaries(text, '\n'),
        new SeparatorBoundaries(text, ' '),
      ],
      overlapLevels: 1,
      trim: true,
      meter,
    });
  },
};
