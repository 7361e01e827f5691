import { hex as dingbat } from 'dingbat-to-unicode';
import type { DocxElement } from '../docx-markdown.ts';
import type { Numbering, NumberingLevel } from './numbering.ts';
import type { Style, Styles } from './styles.ts';
import { findChild, firstChild, textOf, type XmlElement, type XmlNode } from './xml-tree.ts';

/** What a part's body is read with: the document's styles and lists, and the part's own relationships. */
export interface BodyContext {
  styles: Styles;
  numbering: Numbering;
  /** Relationship targets by id, for hyperlinks. */
  relationships: Record<string, string | undefined>;
}

/** Elements mammoth reads for their children only. */
const TRANSPARENT = new Set([
  'w:customXml',
  'w:ins',
  'w:moveFromRangeEnd',
  'w:moveFromRangeStart',
  'w:moveTo',
  'w:moveToRangeEnd',
  'w:moveToRangeStart',
  'w:object',
  'w:smartTag',
  'w:drawing',
  'v:roundrect',
  'v:shape',
  'v:textbox',
  'w:txbxContent',
  'v:group',
  'v:rect',
]);

const TAB: DocxElement = { type: 'tab' };
const BREAKS: Record<string, DocxElement> = {
  textWrapping: { type: 'break', breakType: 'line' },
  page: { type: 'break', breakType: 'page' },
  column: { type: 'break', breakType: 'column' },
};

/**
 * mammoth's document model of a run of body XML (mammoth 1.13, lib/docx/body-reader.js, whose
 * semantics this follows element by element). One reader reads one sequence of elements: a
 * deleted paragraph's content joins the next paragraph read by the same reader. Elements mammoth
 * ignores or does not know (w:del, w:fldSimple, w:sectPr, …) give nothing. Images are kept as
 * bare `image` elements: the model's consumers read no image data. Complex fields (w:fldChar)
 * are not followed: they only wrap runs in hyperlinks or add checkboxes, neither of which has text.
 */
export function readBody(nodes: readonly XmlNode[], context: BodyContext): DocxElement[] {
  const out: DocxElement[] = [];
  // What w:pict holds goes after the paragraph that holds it; outside any paragraph it is dropped.
  new BodyReader(context).readAll(nodes, out, []);
  return out;
}

class BodyReader {
  private deletedParagraphContent: XmlNode[] = [];
  /** Cells marked as continuing a vertical merge (w:vMerge), of every table read. */
  private readonly continuingCells = new Set<DocxElement>();

  constructor(private readonly context: BodyContext) {}

  readAll(nodes: readonly XmlNode[], out: DocxElement[], extra: DocxElement[]): void {
    for (const node of nodes) if (typeof node !== 'string') this.read(node, out, extra);
  }

  private read(element: XmlElement, out: DocxElement[], extra: DocxElement[]): void {
    switch (element.name) {
      case 'w:p':
        this.readParagraph(element, out);
        return;
      case 'w:r':
        out.push(this.readRun(element, extra));
        return;
      case 'w:t':
        out.push({ type: 'text', value: textOf(element) });
        return;
      case 'w:tab':
        out.push(TAB);
        return;
      case 'w:noBreakHyphen':
        out.push({ type: 'text', value: '\u2011' });
        return;
      case 'w:softHyphen':
        out.push({ type: 'text', value: '\u00AD' });
        return;
      case 'w:sym':
        readSymbol(element, out);
        return;
      case 'w:br': {
        const breakElement = BREAKS[element.attributes['w:type'] ?? 'textWrapping'];
        if (breakElement) out.push(breakElement);
        return;
      }
      case 'w:hyperlink':
        this.readHyperlink(element, out, extra);
        return;
      case 'w:tbl':
        out.push(this.readTable(element, extra));
        return;
      case 'w:tr':
        this.readRow(element, out, extra);
        return;
      case 'w:tc':
        out.push(this.readCell(element, extra));
        return;
      case 'w:footnoteReference':
      case 'w:endnoteReference':
        out.push({
          type: 'noteReference',
          noteType: element.name === 'w:footnoteReference' ? 'footnote' : 'endnote',
          noteId: element.attributes['w:id'],
        });
        return;
      case 'w:commentReference':
        out.push({ type: 'commentReference' });
        return;
      case 'w:bookmarkStart':
        if (element.attributes['w:name'] !== '_GoBack') out.push({ type: 'bookmarkStart' });
        return;
      case 'mc:AlternateContent':
        this.readAll(firstChild(element, 'mc:Fallback').children, out, extra);
        return;
      case 'w:sdt':
        this.readStructuredTag(element, out, extra);
        return;
      case 'w:pict': {
        const held: DocxElement[] = [];
        this.readAll(element.children, held, extra);
        append(extra, held);
        return;
      }
      case 'wp:inline':
      case 'wp:anchor':
        readDrawing(element, out);
        return;
      case 'v:imagedata':
        if (element.attributes['r:id']) out.push({ type: 'image' });
        return;
      default:
        if (TRANSPARENT.has(element.name)) this.readAll(element.children, out, extra);
    }
  }

  private readParagraph(element: XmlElement, out: DocxElement[]): void {
    const properties = firstChild(element, 'w:pPr');
    // A paragraph marked deleted joins its content to the next one (ECMA-376 17.13.5.15).
    if (findChild(firstChild(properties, 'w:rPr'), 'w:del')) {
      append(this.deletedParagraphContent, element.children);
      return;
    }
    let nodes = element.children;
    if (this.deletedParagraphContent.length > 0) {
      nodes = this.deletedParagraphContent.concat(nodes);
      this.deletedParagraphContent = [];
    }
    const { styleId, name } = this.style(properties, 'w:pStyle', this.context.styles.paragraph);
    const numbering = this.numbering(styleId, firstChild(properties, 'w:numPr'));
    const children: DocxElement[] = [];
    const extra: DocxElement[] = [];
    this.readAll(nodes, children, extra);
    out.push({ type: 'paragraph', children, styleId: styleId || null, styleName: name || null, numbering });
    append(out, extra);
  }

  private readRun(element: XmlElement, extra: DocxElement[]): DocxElement {
    const { styleId, name } = this.style(
      firstChild(element, 'w:rPr'),
      'w:rStyle',
      this.context.styles.character,
    );
    const children: DocxElement[] = [];
    this.readAll(element.children, children, extra);
    return { type: 'run', children, styleId: styleId || null, styleName: name || null };
  }

  /** A style reference (`w:pStyle`, `w:rStyle`, `w:tblStyle`) and the name its definition gives. */
  private style(
    properties: XmlElement,
    tag: string,
    definitions: Record<string, Style | undefined>,
  ): { styleId: string | null | undefined; name: string | null | undefined } {
    const reference = findChild(properties, tag);
    if (!reference) return { styleId: null, name: null };
    const styleId = reference.attributes['w:val'];
    return { styleId, name: styleId ? definitions[styleId]?.name : null };
  }

  /** A paragraph's list level: its own w:numPr, else its style's list, else level 0 of a bare w:numId. */
  private numbering(styleId: string | null | undefined, numPr: XmlElement): NumberingLevel | null {
    const { numbering } = this.context;
    const level = firstChild(numPr, 'w:ilvl').attributes['w:val'];
    const numId = firstChild(numPr, 'w:numId').attributes['w:val'];
    if (level !== undefined && numId !== undefined) return numbering.findLevel(numId, level) || null;
    if (styleId != null) {
      const byStyle = numbering.findLevelByParagraphStyleId(styleId);
      if (byStyle != null) return byStyle;
    }
    return numId === undefined ? null : numbering.findLevel(numId, '0') || null;
  }

  private readHyperlink(element: XmlElement, out: DocxElement[], extra: DocxElement[]): void {
    const children: DocxElement[] = [];
    this.readAll(element.children, children, extra);
    const relationshipId = element.attributes['r:id'];
    const anchor = element.attributes['w:anchor'];
    if (relationshipId) {
      const target = this.context.relationships[relationshipId];
      const href = target !== undefined && anchor ? `${target.split('#')[0]}#${anchor}` : target;
      out.push({ type: 'hyperlink', children, href });
    } else if (anchor) {
      out.push({ type: 'hyperlink', children, anchor });
    } else {
      append(out, children);
    }
  }

  private readTable(element: XmlElement, extra: DocxElement[]): DocxElement {
    const { styleId, name } = this.style(
      firstChild(element, 'w:tblPr'),
      'w:tblStyle',
      this.context.styles.table,
    );
    const rows: DocxElement[] = [];
    this.readAll(element.children, rows, extra);
    return {
      type: 'table',
      children: mergeRows(rows, this.continuingCells),
      styleId: styleId || null,
      styleName: name || null,
    };
  }

  private readRow(element: XmlElement, out: DocxElement[], extra: DocxElement[]): void {
    const properties = firstChild(element, 'w:trPr');
    // A deleted row is dropped (ECMA-376 17.13.5.12).
    if (findChild(properties, 'w:del')) return;
    const children: DocxElement[] = [];
    this.readAll(element.children, children, extra);
    out.push({ type: 'tableRow', children });
  }

  private readCell(element: XmlElement, extra: DocxElement[]): DocxElement {
    const children: DocxElement[] = [];
    this.readAll(element.children, children, extra);
    const properties = firstChild(element, 'w:tcPr');
    const gridSpan = firstChild(properties, 'w:gridSpan').attributes['w:val'];
    const colSpan = gridSpan ? Number.parseInt(gridSpan, 10) : 1;
    const cell: DocxElement = { type: 'tableCell', children, colSpan, rowSpan: 1 };
    const vMerge = findChild(properties, 'w:vMerge');
    const value = vMerge?.attributes['w:val'];
    if (vMerge && (value === 'continue' || !value)) this.continuingCells.add(cell);
    return cell;
  }

  private readStructuredTag(element: XmlElement, out: DocxElement[], extra: DocxElement[]): void {
    const content: DocxElement[] = [];
    this.readAll(firstChild(element, 'w:sdtContent').children, content, extra);
    const checkbox = findChild(firstChild(element, 'w:sdtPr'), 'wordml:checkbox');
    if (!checkbox) {
      append(out, content);
      return;
    }
    // A checkbox tag's first character is the box: it is replaced by the checkbox, or the content is.
    const checked = findChild(checkbox, 'wordml:checked');
    const value = checked?.attributes['wordml:val'];
    const box: DocxElement = { type: 'checkbox', checked: !!checked && value !== 'false' && value !== '0' };
    if (replaceFirstText(content, box)) append(out, content);
    else out.push(box);
  }
}

/**
 * Removes the cells that continue a vertical merge (each counts toward the cell above), unless
 * the table holds something other than rows of cells, where mammoth keeps every cell.
 */
function mergeRows(rows: DocxElement[], merged: ReadonlySet<DocxElement>): DocxElement[] {
  const regular = rows.every(
    (row) => row.type === 'tableRow' && (row.children ?? []).every((cell) => cell.type === 'tableCell'),
  );
  if (!regular) return rows;
  const columns: Record<string, DocxElement | undefined> = Object.create(null);
  const continuing = new Set<DocxElement>();
  for (const row of rows) {
    let cellIndex = 0;
    for (const cell of row.children ?? []) {
      const above = columns[String(cellIndex)];
      if (merged.has(cell) && above) {
        above.rowSpan = (above.rowSpan ?? 1) + 1;
        continuing.add(cell);
      } else {
        columns[String(cellIndex)] = cell;
      }
      cellIndex += cell.colSpan ?? 1;
    }
  }
  for (const row of rows) row.children = (row.children ?? []).filter((cell) => !continuing.has(cell));
  return rows;
}

/** Pushes one by one: spreading a paragraph's (unbounded) children as arguments could overflow the stack. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Replaces the first non-empty text, in document order, with `replacement`; false when there is none. */
function replaceFirstText(elements: DocxElement[], replacement: DocxElement): boolean {
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index] as DocxElement;
    if (element.children && replaceFirstText(element.children, replacement)) return true;
    if (element.type === 'text' && (element.value ?? '').length > 0) {
      elements[index] = replacement;
      return true;
    }
  }
  return false;
}

/** `w:sym`: a character of a symbol font, as the Unicode character it shows, else nothing. */
function readSymbol(element: XmlElement, out: DocxElement[]): void {
  const font = element.attributes['w:font'] ?? '';
  const char = element.attributes['w:char'] ?? '';
  const unicode = dingbat(font, char) ?? (/^F0..$/.test(char) ? dingbat(font, char.substring(2)) : undefined);
  if (unicode) out.push({ type: 'text', value: unicode.string });
}

/** An inline or floating drawing: an image for each picture it holds by reference. */
function readDrawing(element: XmlElement, out: DocxElement[]): void {
  let level = [element];
  for (const name of ['a:graphic', 'a:graphicData', 'pic:pic', 'pic:blipFill', 'a:blip']) {
    level = level.flatMap((parent) =>
      parent.children.filter(
        (child): child is XmlElement => typeof child !== 'string' && child.name === name,
      ),
    );
  }
  for (const blip of level) {
    if (blip.attributes['r:embed'] || blip.attributes['r:link']) out.push({ type: 'image' });
  }
}
