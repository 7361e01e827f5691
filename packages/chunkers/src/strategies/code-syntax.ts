import type { Node, Parser } from '@vscode/tree-sitter-wasm';
import type { Sizer } from '../strategy.ts';

/** Start of `position`'s line when only indentation precedes it there, else -1. */
function lineAlignedStart(text: string, position: number): number {
  let i = position;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n' ? i : -1;
}

const childrenOf = (node: Node) => node.children.filter((child): child is Node => child !== null);

/**
 * Syntax boundaries of `text`: ascending cut positions (excluding 0 and text.length) separating
 * pieces that each fit `maxSize` wherever the grammar allows. A node that fits stays whole. One
 * that does not is cut between its children, preferring cuts at line starts: a multi-line child
 * that starts mid-line (a class body after `class X`, a function's block) is opened up, so the
 * header travels with the first member; cuts land only at line starts.
 * Text between siblings (whitespace, comments) stays with the earlier one. A node with no
 * children that is still too big is left to the packer's line and word levels.
 */
export function syntaxCuts(
  parser: Parser,
  text: string,
  region: { start: number; end: number },
  sizer: Sizer,
  maxSize: number,
): number[] | undefined {
  const source = text.slice(region.start, region.end);
  // Error recovery (text that is not code in this language) costs tree-sitter many times a clean
  // parse: the parse stops at its first check after an error, and the region is left to the
  // declaration separators. The checks come at fixed counts of parse steps: deterministic.
  const tree = parser.parse(source, null, { progressCallback: (state) => state.hasError });
  if (!tree) {
    parser.reset(); // a cancelled parse would otherwise resume on the next call
    return undefined;
  }
  const offset = region.start;
  const cuts: number[] = [];
  const fits = (start: number, end: number) => sizer.measure(start + offset, end + offset) <= maxSize;

  // Opens multi-line nodes that start mid-line, so their line-aligned insides become candidates.
  const flatten = (nodes: readonly Node[], into: Node[]) => {
    for (const node of nodes) {
      const multiLine = node.endPosition.row > node.startPosition.row;
      if (multiLine && node.childCount > 0 && lineAlignedStart(source, node.startIndex) < 0) {
        flatten(childrenOf(node), into);
      } else {
        into.push(node);
      }
    }
    return into;
  };

  // A group is the units between two line-aligned cuts. One too big is searched for line-aligned
  // cuts inside its units; cutting between its units would land mid-line, which the packer's
  // line and word levels do better.
  const splitGroup = (group: readonly Node[], start: number, end: number) => {
    if (fits(start, end)) return;
    let from = start;
    group.forEach((unit, k) => {
      const next = group[k + 1];
      const to = next ? Math.max(from, Math.min(end, next.startIndex)) : end;
      visit(unit, from, to);
      from = to;
    });
  };

  const visit = (node: Node, start: number, end: number) => {
    if (fits(start, end)) return;
    const units = flatten(childrenOf(node), []);
    let from = start;
    let group: Node[] = [];
    for (const unit of units) {
      const cut = group.length === 0 ? -1 : lineAlignedStart(source, unit.startIndex);
      if (cut > from && cut < end) {
        splitGroup(group, from, cut);
        cuts.push(cut);
        from = cut;
        group = [];
      }
      group.push(unit);
    }
    splitGroup(group, from, end);
  };

  try {
    visit(tree.rootNode, 0, source.length);
  } finally {
    tree.delete(); // Trees live in WebAssembly memory, outside the garbage collector's reach.
  }
  return cuts.map((cut) => cut + offset);
}
