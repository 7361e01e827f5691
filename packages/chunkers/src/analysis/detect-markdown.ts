import { lineHead } from './line-heads.ts';

export interface MarkdownSignals {
  headings: number;
  fences: number;
  tables: number;
  listItems: number;
  links: number;
  /** Share of non-blank lines outside code fences that carry some markdown syntax. */
  density: number;
}

const heading = /^ {0,3}#{1,6}\s+\S/;
const setextUnderline = /^ {0,3}(?:=+|-+)\s*$/;
const fence = /^ {0,3}(?:```|~~~)/;
const tableDivider = /^\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+(?:\|\s*)?$/;
const listItem = /^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+\S/;
const link = /!?\[[^[\]\n]+\]\([^()[\s]+(?:\s+"[^"]*")?\)|^\s{0,3}\[[^\]]+\]:\s+\S/;
const emphasisOrQuote = /^\s{0,3}>\s|\*\*[^*\n]+\*\*|`[^`\n]+`/;

/** Counts markdown constructs line by line, skipping the insides of fenced code blocks. */
export function markdownSignals(text: string): MarkdownSignals {
  const signals = { headings: 0, fences: 0, tables: 0, listItems: 0, links: 0, density: 0 };
  let inFence = false;
  let marked = 0;
  let nonBlank = 0;
  let previousText = false;
  for (const fullLine of text.split('\n')) {
    const line = lineHead(fullLine);
    if (fence.test(line)) {
      if (!inFence) signals.fences++;
      inFence = !inFence;
      marked++;
      nonBlank++;
      continue;
    }
    if (inFence) continue;
    if (line.trim() === '') {
      previousText = false;
      continue;
    }
    nonBlank++;
    let hit = true;
    if (heading.test(line) || (previousText && setextUnderline.test(line))) signals.headings++;
    else if (tableDivider.test(line)) signals.tables++;
    else if (listItem.test(line)) signals.listItems++;
    else hit = false;
    if (link.test(line)) {
      signals.links++;
      hit = true;
    }
    if (!hit && emphasisOrQuote.test(line)) hit = true;
    if (hit) marked++;
    previousText = true;
  }
  signals.density = nonBlank === 0 ? 0 : marked / nonBlank;
  return signals;
}

/** Strong markdown: structure a plain-text writer would not produce by accident. */
export function looksLikeMarkdown(signals: MarkdownSignals): boolean {
  const structure = signals.headings + signals.fences + signals.tables;
  return (structure >= 1 && structure + signals.links + signals.listItems >= 2) || signals.density >= 0.3;
}
