import { InvalidDocumentError } from '@chunkflow/errors';
import { collapse, escapeLineStart, tableMarkdown } from './markdown-blocks.ts';

/**
 * mammoth's document model (mammoth 1.13, lib/documents.js), as src/docx/ reads it: a tree of
 * paragraphs, runs, hyperlinks, tables, rows and cells with their style names and list
 * numbering. The writer reads the text, the structure and the notes.
 */
export interface DocxElement {
  type: string;
  children?: DocxElement[];
  value?: string;
  styleId?: string | null;
  styleName?: string | null;
  numbering?: { level: string; isOrdered: boolean } | null;
  breakType?: string;
  /** A note reference's and a note's kind (`footnote`, `endnote`) and id. */
  noteType?: string;
  noteId?: string | undefined;
  /** A note's paragraphs. */
  body?: DocxElement[];
  href?: string | undefined;
  anchor?: string | undefined;
  colSpan?: number;
  rowSpan?: number;
  checked?: boolean;
}

export interface DocxDocument extends DocxElement {
  type: 'document';
  notes: { resolve(reference: DocxElement): DocxElement | null };
}

/** mammoth's default style map names headings so (its ids `Heading1`–`Heading6`, Pages's `Heading`). */
const HEADING_ID = /^Heading([1-6])?$/;
const HEADING_NAME = /^heading(?: ([1-6]))?$/i;

/** Where a list item sits: its nesting and whether it is numbered. */
interface ListItem {
  depth: number;
  ordered: boolean;
  text: string;
}

/**
 * Markdown of a Word document, written straight from its document model:
 * paragraphs styled Heading 1–6 as ATX headings, tables as GFM tables with every row, numbered
 * and bulleted paragraphs as lists with their nesting, footnotes and endnotes as a numbered list
 * at the end (referenced as `[1]`, `[2]`, … in the text), other paragraphs separated by a blank
 * line. A line break inside a paragraph starts a new one; text that would read as markdown
 * syntax at a line start is escaped. No HTML is written and parsed again to reach the same
 * structure.
 */
export function docxToMarkdown(document: DocxDocument, maxDepth: number): string {
  const writer = new DocxWriter(document, maxDepth);
  writer.writeBlocks(document.children ?? []);
  writer.writeNotes();
  return writer.blocks.join('\n\n');
}

class DocxWriter {
  readonly blocks: string[] = [];
  private list: ListItem[] = [];
  private readonly noteReferences: DocxElement[] = [];

  constructor(
    private readonly document: DocxDocument,
    private readonly maxDepth: number,
  ) {}

  writeBlocks(elements: readonly DocxElement[]): void {
    for (const element of elements) {
      if (element.type === 'paragraph') {
        this.writeParagraph(element);
      } else if (element.type === 'table') {
        this.endList();
        const table = tableMarkdown(this.tableCells(element, 1));
        if (table) this.blocks.push(table);
      } else {
        this.endList();
        this.pushParagraphs(this.inlineText(element, 1));
      }
    }
    this.endList();
  }

  writeNotes(): void {
    // Numbered as referenced: the note referenced as [n] is item n.
    const lines = this.noteReferences.flatMap((reference, index) => {
      const note = this.document.notes.resolve(reference);
      return note ? [`${index + 1}. ${collapse(this.cellText(note.body ?? [], 1))}`] : [];
    });
    if (lines.length > 0) this.blocks.push(lines.join('\n'));
  }

  private writeParagraph(paragraph: DocxElement): void {
    const level = headingLevel(paragraph);
    const text = this.inlineText(paragraph, 1);
    if (level > 0) {
      this.endList();
      const heading = collapse(text);
      if (heading) this.blocks.push(`${'#'.repeat(level)} ${heading}`);
    } else if (paragraph.numbering) {
      const item = collapse(text);
      const { level: listLevel, isOrdered } = paragraph.numbering;
      // A list opens at its top level and goes one level deeper at a time, whatever levels Word skips.
      const depth = Math.min(Number(listLevel) || 0, (this.list.at(-1)?.depth ?? -1) + 1);
      if (item) this.list.push({ depth, ordered: isOrdered, text: item });
    } else {
      this.endList();
      this.pushParagraphs(text);
    }
  }

  /** Each line of a paragraph's text (split at its line breaks) is a paragraph of its own. */
  private pushParagraphs(text: string): void {
    for (const line of text.split('\n')) {
      const paragraph = collapse(line);
      if (paragraph) this.blocks.push(escapeLineStart(paragraph));
    }
  }

  private endList(): void {
    if (this.list.length === 0) return;
    this.blocks.push(listMarkdown(this.list));
    this.list = [];
  }

  private tableCells(table: DocxElement, depth: number): string[][] {
    return (table.children ?? [])
      .filter((row) => row.type === 'tableRow')
      .map((row) =>
        (row.children ?? [])
          .filter((cell) => cell.type === 'tableCell')
          .map((cell) => collapse(this.cellText(cell.children ?? [], depth + 2))),
      );
  }

  /** The text of a cell's or note's blocks (paragraphs, nested tables), one space between them. */
  private cellText(elements: readonly DocxElement[], depth: number): string {
    return elements.map((element) => this.inlineText(element, depth)).join(' ');
  }

  /**
   * The text of an element at `depth` in the tree, line breaks as `\n` (collapsed or split by the
   * caller). Refuses trees deeper than the budget before the recursion could grow past it.
   */
  private inlineText(element: DocxElement, depth: number): string {
    if (depth > this.maxDepth) {
      throw new InvalidDocumentError(
        'budget',
        `The document is nested deeper than ${this.maxDepth} elements`,
      );
    }
    switch (element.type) {
      case 'text':
        return element.value ?? '';
      case 'tab':
        return '\t';
      case 'break':
        return element.breakType === 'line' ? '\n' : ' ';
      case 'noteReference':
        this.noteReferences.push(element);
        return `[${this.noteReferences.length}]`;
      case 'table':
        return this.cellText(element.children ?? [], depth + 1);
      case 'tableRow':
      case 'tableCell':
        return ` ${this.cellText(element.children ?? [], depth + 1)} `;
      default: {
        let text = '';
        for (const child of element.children ?? []) text += this.inlineText(child, depth + 1);
        return text;
      }
    }
  }
}

/** mammoth's default style map: Heading 1–6 by id or name (any case), Pages's `Heading` as 1. */
function headingLevel(paragraph: DocxElement): number {
  const match = HEADING_ID.exec(paragraph.styleId ?? '') ?? HEADING_NAME.exec(paragraph.styleName ?? '');
  return match ? Number(match[1] ?? 1) : 0;
}

function listMarkdown(items: readonly ListItem[]): string {
  const counters: number[] = [];
  const kinds: boolean[] = [];
  return items
    .map(({ depth, ordered, text }) => {
      counters.length = depth + 1;
      kinds.length = depth + 1;
      // A list of the other kind at the same depth numbers from 1 again.
      if (kinds[depth] !== ordered) counters[depth] = 0;
      kinds[depth] = ordered;
      counters[depth] = (counters[depth] ?? 0) + 1;
      return `${'   '.repeat(depth)}${ordered ? `${counters[depth]}. ` : '- '}${text}`;
    })
    .join('\n');
}
