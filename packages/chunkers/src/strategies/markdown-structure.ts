import { IntList } from '../sizing/int-list.ts';
import { skipWhitespace } from '../text/code-units.ts';
import { atxHeading } from './atx-heading.ts';

export interface MarkdownSection {
  start: number;
  end: number;
  /** Heading path (texts of the enclosing configured headings, outermost first). */
  headings: string[];
}

/** Line starts of a Markdown document by what they begin, for the packer's boundary kinds. */
export interface MarkdownStructure {
  /** A new section at each heading whose level is configured; the text before the first is one too. */
  sections: MarkdownSection[];
  /** The headings enclosing the end of the text, for the next segment. */
  headingStack: HeadingStack;
  /** Starts of blocks: after blank lines, fences, tables, other headings. */
  blockStarts: Int32Array;
  /** List items. */
  itemStarts: Int32Array;
  /** Other lines outside fences and tables. */
  lineStarts: Int32Array;
  /** Lines inside fences and table rows: cut there only when a fence or table alone exceeds the size. */
  rowStarts: Int32Array;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?$/;
const TABLE_DELIMITER = /^(?: {0,3}\|)?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?\r?$/;
const LIST_ITEM = /^[ \t]*([-*+]|\d{1,9}[.)])([ \t]|\r?$)/;

/** First character decides cheaply whether a line can be anything but plain text. */
function mayBeSpecial(code: number): boolean {
  // space, tab, #, `, ~, |, -, *, +, digits
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x23 ||
    code === 0x60 ||
    code === 0x7e ||
    code === 0x7c ||
    code === 0x2d ||
    code === 0x2a ||
    code === 0x2b ||
    (code >= 0x30 && code <= 0x39)
  );
}

type HeadingStack = { level: number; text: string }[];

class HeadingPath {
  #stack: HeadingStack;
  current: string[];

  constructor(stack: HeadingStack) {
    this.#stack = [...stack];
    this.current = this.#stack.map((entry) => entry.text);
  }

  get stack(): HeadingStack {
    return [...this.#stack];
  }

  enter(level: number, text: string): void {
    while ((this.#stack.at(-1)?.level ?? 0) >= level) this.#stack.pop();
    this.#stack.push({ level, text });
    this.current = this.#stack.map((entry) => entry.text);
  }
}

/**
 * One pass over the lines (CommonMark ATX headings, fenced code, GFM tables, list items). Headings
 * inside fences are code, not headings. A fence left open runs to the end of the document.
 */
export function scanMarkdown(
  text: string,
  headingLevels: readonly number[],
  enclosingHeadings: HeadingStack = [],
): MarkdownStructure {
  const sections: MarkdownSection[] = [];
  const path = new HeadingPath(enclosingHeadings);
  const blocks = new IntList(64);
  const items = new IntList(64);
  const lines = new IntList(256);
  const rows = new IntList(64);
  let sectionStart = 0;
  let fence: { marker: string; length: number } | undefined;
  let inTable = false;
  let afterBlank = false;

  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline < 0 ? text.length : newline;
    const next = newline < 0 ? text.length : newline + 1;
    const line = text.slice(start, lineEnd);
    const special = mayBeSpecial(text.charCodeAt(start));

    if (fence !== undefined) {
      rows.push(start);
      const close = special ? FENCE_CLOSE.exec(line)?.[1] : undefined;
      if (close !== undefined && close[0] === fence.marker && close.length >= fence.length) {
        fence = undefined;
        if (next < text.length) blocks.push(next);
      }
    } else if (skipWhitespace(text, start, lineEnd) === lineEnd) {
      inTable = false;
      afterBlank = true;
    } else {
      const heading = special ? atxHeading(line) : undefined;
      const headingLevel = heading?.level ?? 0;
      const fenceMarker = special ? FENCE_OPEN.exec(line)?.[1] : undefined;
      if (headingLevels.includes(headingLevel)) {
        if (start > sectionStart) sections.push({ start: sectionStart, end: start, headings: path.current });
        sectionStart = start;
        path.enter(headingLevel, heading?.text ?? '');
        inTable = false;
      } else if (fenceMarker !== undefined) {
        blocks.push(start);
        fence = { marker: fenceMarker[0] as string, length: fenceMarker.length };
        inTable = false;
      } else if (inTable && line.includes('|')) {
        rows.push(start);
      } else if (line.includes('|') && isDelimiterRow(text, next)) {
        blocks.push(start);
        inTable = true;
      } else if (heading !== undefined || afterBlank || inTable) {
        blocks.push(start);
        inTable = false;
      } else if (special && LIST_ITEM.test(line)) {
        items.push(start);
      } else {
        lines.push(start);
      }
      afterBlank = false;
    }
    start = next;
  }
  if (sectionStart < text.length || sections.length === 0) {
    sections.push({ start: sectionStart, end: text.length, headings: path.current });
  }
  return {
    sections,
    headingStack: path.stack,
    blockStarts: blocks.view(),
    itemStarts: items.view(),
    lineStarts: lines.view(),
    rowStarts: rows.view(),
  };
}

/** Whether the line starting at `start` is a GFM table delimiter row (`|---|:-:|`). */
function isDelimiterRow(text: string, start: number): boolean {
  if (start >= text.length) return false;
  const newline = text.indexOf('\n', start);
  const line = text.slice(start, newline < 0 ? text.length : newline);
  return line.includes('-') && TABLE_DELIMITER.test(line);
}
