import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { checkDepth, type DomNode, domToMarkdown, LEVEL_ATTRIBUTE } from './dom-markdown.ts';
import { markdownHeadings } from './headings.ts';
import { checkHtmlDepth } from './html-depth.ts';
import type { ConversionLimits } from './types.ts';

/** Readability's article must hold at least this much text, or the whole body is kept instead. */
const MIN_ARTICLE_CHARS = 200;

/**
 * Markdown of an HTML page. Its nesting is checked (see checkHtmlDepth), linkedom parses it, Mozilla's Readability (Firefox Reader View) picks the main content and drops
 * navigation and boilerplate, and the writer makes markdown of it. A page too small for
 * Readability to judge keeps its whole body, less scripts, styles and navigation.
 */
export function convertHtml(html: string, limits: ConversionLimits): string {
  checkHtmlDepth(html, limits.maxNestingDepth);
  const { document } = parseHTML(html);
  const root = document.documentElement as unknown as DomNode | null;
  if (!root) return '';
  checkDepth(root, limits.maxNestingDepth);
  // Readability renames h1 to h2 (its title is the h1): each heading keeps its level in an attribute.
  for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    heading.setAttribute(LEVEL_ATTRIBUTE, heading.tagName.slice(1));
  }
  const article = new Readability(
    document.cloneNode(true) as unknown as ConstructorParameters<typeof Readability>[0],
  ).parse();
  if (article?.content && (article.textContent ?? '').trim().length >= MIN_ARTICLE_CHARS) {
    const { document: content } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
    const markdown = domToMarkdown(content.body as unknown as DomNode);
    // Readability drops an h1 that repeats its title: the title then stays the first heading.
    const title = article.title?.trim();
    return title && !markdownHeadings(markdown).some((heading) => heading.level === 1)
      ? `# ${title}\n\n${markdown}`
      : markdown;
  }
  const body = (document.body ?? root) as unknown as DomNode;
  return domToMarkdown(body);
}
