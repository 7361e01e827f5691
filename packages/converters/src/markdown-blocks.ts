/** Markdown blocks both document writers (the DOM's and the Word model's) make the same way. */

/** Runs of whitespace as one space, none at the ends. */
export function collapse(text: string): string {
  // Most text has single spaces only: testing first spares rebuilding every string.
  return (/[^\S ]| {2}/.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
}

/** A paragraph starting like a heading, quote, list item or fence would change the structure. */
export function escapeLineStart(text: string): string {
  return /^(?:#|>|[-*+] |\d{1,9}[.)] |```|~~~|\|)/.test(text) ? `\\${text}` : text;
}

/**
 * A GFM table of rows of cell texts, every row kept: the first row is the header, rows shorter
 * than the widest are padded, pipes in cells escaped. Empty when no row has a cell.
 */
export function tableMarkdown(rows: readonly (readonly string[])[]): string {
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (width === 0) return '';
  const line = (cells: readonly string[]) =>
    `| ${Array.from({ length: width }, (_, index) => (cells[index] ?? '').replaceAll('|', '\\|')).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(Array(width).fill('---')), ...body.map(line)].join('\n');
}

/**
 * Refuses a tree nested deeper than `maxDepth`, measured without recursion (the writers recurse).
 * `childrenOf` gives the nodes that nest: elements, not text.
 */
export function checkNesting<Node>(
  root: Node,
  childrenOf: (node: Node) => Iterable<Node>,
  maxDepth: number,
  refuse: () => Error,
): void {
  const stack: [Node, number][] = [[root, 0]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, depth] = entry;
    if (depth > maxDepth) throw refuse();
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
}
