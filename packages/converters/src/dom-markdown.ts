import { InvalidDocumentError } from '@chunkflow/errors';
import { checkNesting, collapse, escapeLineStart, tableMarkdown } from './markdown-blocks.ts';

/** The part of the DOM the writer reads (linkedom's nodes have it). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  childNodes: ArrayLike<DomNode>;
  textContent: string | null;
  getAttribute?(name: string): string | null;
}

/** A heading's original level, kept through tools that rename heading elements. */
export const LEVEL_ATTRIBUTE = 'data-heading-level';

const ELEMENT = 1;
const TEXT = 3;

/** Never content: code, styling, chrome and controls. */
const dropped = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'canvas',
  'nav',
  'head',
  'form',
  'button',
  'select',
  'input',
  'textarea',
  'dialog',
]);

const blockTags = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'ul',
]);

const tagOf = (node: DomNode) => node.nodeName.toLowerCase();
const children = (node: DomNode) => Array.from(node.childNodes);

/** Refuses a tree nested deeper than `maxDepth` elements (see checkNesting). */
export function checkDepth(root: DomNode, maxDepth: number): void {
  checkNesting(
    root,
    (node) => children(node).filter((child) => child.nodeType === ELEMENT),
    maxDepth,
    () => new InvalidDocumentError('budget', `The document is nested deeper than ${maxDepth} elements`),
  );
}

/**
 * Markdown of a DOM subtree, in document order: headings as ATX headings (so the markdown and
 * hybrid strategies, and the provenance scan, see them), tables as GFM tables with every row,
 * lists with their nesting, preformatted text as fenced code, paragraphs separated by a blank
 * line. Text that would read as markdown syntax at a line start is escaped.
 */
export function domToMarkdown(root: DomNode): string {
  const blocks: string[] = [];
  writeBlocks(root, blocks);
  return blocks.join('\n\n');
}

function writeBlocks(node: DomNode, blocks: string[]): void {
  let inline = '';
  const flush = () => {
    const paragraph = collapse(inline);
    if (paragraph) blocks.push(escapeLineStart(paragraph));
    inline = '';
  };
  for (const child of children(node)) {
    const tag = tagOf(child);
    if (child.nodeType === ELEMENT && blockTags.has(tag)) {
      flush();
      writeBlock(child, tag, blocks);
    } else if (child.nodeType === ELEMENT && tag === 'br') {
      flush();
    } else {
      inline += inlineText(child);
    }
  }
  flush();
}

function writeBlock(element: DomNode, tag: string, blocks: string[]): void {
  const level = /^h[1-6]$/.test(tag) ? Number(element.getAttribute?.(LEVEL_ATTRIBUTE) ?? tag[1]) : 0;
  if (level > 0) {
    const text = collapse(inlineText(element));
    if (text) blocks.push(`${'#'.repeat(level)} ${text}`);
  } else if (tag === 'ul' || tag === 'ol') {
    const lines = listLines(element, tag === 'ol', '');
    if (lines.length > 0) blocks.push(lines.join('\n'));
  } else if (tag === 'pre') {
    blocks.push(fenced(element));
  } else if (tag === 'table') {
    const table = domTable(element);
    if (table) blocks.push(table);
  } else if (tag === 'blockquote') {
    const inner: string[] = [];
    writeBlocks(element, inner);
    if (inner.length > 0) blocks.push(prefixLines(inner.join('\n\n'), '> '));
  } else if (tag !== 'hr') {
    writeBlocks(element, blocks);
  }
}

/** The text of an inline subtree, whitespace as it is (collapsed by the caller). */
function inlineText(node: DomNode): string {
  if (node.nodeType === TEXT) return node.textContent ?? '';
  if (node.nodeType !== ELEMENT || dropped.has(tagOf(node))) return '';
  if (tagOf(node) === 'br') return '\n';
  return children(node).map(inlineText).join('');
}

function listLines(list: DomNode, ordered: boolean, indent: string): string[] {
  const lines: string[] = [];
  let number = 1;
  for (const item of children(list)) {
    if (item.nodeType !== ELEMENT || tagOf(item) !== 'li') continue;
    const marker = ordered ? `${number++}. ` : '- ';
    const nested = children(item).filter((child) => ['ul', 'ol'].includes(tagOf(child)));
    const own = children(item)
      .filter((child) => !nested.includes(child))
      .map(inlineText)
      .join('');
    lines.push(`${indent}${marker}${collapse(own)}`);
    for (const sublist of nested) lines.push(...listLines(sublist, tagOf(sublist) === 'ol', `${indent}   `));
  }
  return lines;
}

function fenced(pre: DomNode): string {
  const code = (pre.textContent ?? '').replace(/\n$/, '');
  const fence = code.includes('```') ? '~~~~' : '```';
  const language = children(pre)
    .find((child) => tagOf(child) === 'code')
    ?.getAttribute?.('class')
    ?.match(/language-([\w+-]{1,32})/)?.[1];
  return `${fence}${language ?? ''}\n${code}\n${fence}`;
}

function domTable(table: DomNode): string {
  return tableMarkdown(
    tableRows(table).map((row) =>
      children(row)
        .filter((cell) => ['td', 'th'].includes(tagOf(cell)))
        .map((cell) => collapse(inlineText(cell))),
    ),
  );
}

/** Rows of this table, not of tables nested in its cells. */
function tableRows(table: DomNode): DomNode[] {
  return children(table).flatMap((child) => {
    const tag = tagOf(child);
    if (tag === 'tr') return [child];
    return ['thead', 'tbody', 'tfoot'].includes(tag)
      ? children(child).filter((row) => tagOf(row) === 'tr')
      : [];
  });
}

function prefixLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
