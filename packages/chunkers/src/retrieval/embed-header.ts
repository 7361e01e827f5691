import type { EmbedTemplate } from '../types.ts';

export interface HeaderParts {
  /** The document's title (or name); absent for text previewed inline. */
  title?: string | undefined;
  /** The chunk's heading path, outermost first. */
  headings: readonly string[];
  /** Header and delimiter rows of the table the chunk starts inside, past its own header. */
  tableHeader?: string | undefined;
}

/** Line breaks inside a title or heading would read as separate context lines. */
function oneLine(text: string): string {
  return text.replaceAll('\r', ' ').replaceAll('\n', ' ').trim();
}

/**
 * The text put before a chunk's content in `embedText`: the title and the heading path (`A > B`)
 * on lines of their own, a blank line, then a split table's header rows. Empty for `none`, and
 * when there is no context to give.
 */
export function embedHeader(template: EmbedTemplate, parts: HeaderParts): string {
  if (template === 'none') return '';
  const context: string[] = [];
  const title = parts.title === undefined ? '' : oneLine(parts.title);
  if (template === 'title-headings' && title !== '') context.push(title);
  if (parts.headings.length > 0) context.push(parts.headings.map(oneLine).join(' > '));
  const header = context.length > 0 ? `${context.join('\n')}\n\n` : '';
  return parts.tableHeader === undefined ? header : `${header}${parts.tableHeader.trimEnd()}\n`;
}
