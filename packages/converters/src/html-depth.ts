import { InvalidDocumentError } from '@chunkflow/errors';

/** Elements never holding children, or closed implicitly by their next sibling: they add no depth. */
const flatTags = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'optgroup',
  'rt',
  'rp',
  'colgroup',
  '!doctype',
]);
/** Skipped to their closing tag: text (a `<div` inside a script is no element) or foreign content. */
const skippedTags = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'svg', 'math']);

const isNameChar = (code: number) =>
  (code >= 0x61 && code <= 0x7a) ||
  (code >= 0x41 && code <= 0x5a) ||
  (code >= 0x30 && code <= 0x39) ||
  code === 0x21 ||
  code === 0x2d;

/**
 * Refuses HTML nested deeper than `maxDepth` before it is parsed: HTML parsers build deep trees
 * in time that grows faster than the depth (htmlparser2 took 15 s for 100,000 nested divs), so
 * depth is estimated first in one linear pass over the tags. Tags closed implicitly or never
 * holding children are not counted, so sloppy but shallow pages pass. (`<div/>` opens a div in
 * HTML, as here.)
 */
export function checkHtmlDepth(source: string, maxDepth: number): void {
  const html = source.toLowerCase();
  let depth = 0;
  for (let at = html.indexOf('<'); at >= 0; at = html.indexOf('<', at + 1)) {
    if (html.startsWith('<!--', at)) {
      const end = html.indexOf('-->', at + 4);
      if (end < 0) return;
      at = end + 2;
      continue;
    }
    const closing = html.charCodeAt(at + 1) === 0x2f;
    let end = at + (closing ? 2 : 1);
    while (end < html.length && isNameChar(html.charCodeAt(end))) end++;
    const name = html.slice(at + (closing ? 2 : 1), end);
    if (name === '' || flatTags.has(name)) continue;
    if (closing) {
      depth = Math.max(0, depth - 1);
    } else if (skippedTags.has(name)) {
      const close = html.indexOf(`</${name}`, end);
      if (close < 0) return;
      at = close + 1;
    } else if (++depth > maxDepth) {
      throw new InvalidDocumentError('budget', `The document is nested deeper than ${maxDepth} elements`);
    }
  }
}
