import type { Node, Parser } from '@vscode/tree-sitter-wasm';
import type { Sizer } from '../strategy.ts';

/** Start of `position`'s line when only indentation precedes it there, else -1. */
function lineAlignedStart(text: string, position: number): number {
  let i = position;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n' ? i : -1;
}

/** Cuts after every line break inside (start, end): the last resort for a node with no children. */
function lineCuts(text: string, start: number, end: number, cuts: number[]): void {
  for (let i = text.indexOf('\n', start); i >= 0 && i + 1 < end; i = text.indexOf('\n', i + 1))
    cuts.push(i + 1);
}

const childrenOf = (node: Node) => node.children.filter((child): child is Node => child !== null);

/**
 * Syntax boundaries of `text`: ascending cut positions (excluding 0 and text.length) separating
 * pieces that each fit `maxSize` wherever the grammar allows. A node that fits stays whole. One
 * that does not is cut between its children, preferring cuts at line starts: a multi-line child
 * that starts mid-line (a class body after `class X`, a function's block) is opened up, so the
 * header travels with the first member and no cut lands mid-line unless nothing else fits. Text between siblings (whitespace, comments) stays with the earlier one; a node
 * with no children is cut at lines.
 */
export function syntaxCuts(parser: Parser, text: string, sizer: Sizer, maxSize: number): number[] {
  const tree = parser.parse(text);
  if (!tree) return [];
  const cuts: number[] = [];
  const fits = (start: number, end: number) => sizer.measure(start, end) <= maxSize;

  // Opens multi-line nodes that start mid-line, so their line-aligned insides become candidates.
  const flatten = (nodes: readonly Node[], into: Node[]) => {
    for (const node of nodes) {
      const multiLine = node.endPosition.row > node.startPosition.row;
      if (multiLine && node.childCount > 0 && lineAlignedStart(text, node.startIndex) < 0) {
        flatten(childrenOf(node), into);
      } else {
        into.push(node);
      }
    }
    return into;
  };

  // A group is the units between two line-aligned cuts; it splits further only if too big.
  const splitGroup = (group: readonly Node[], start: number, end: number) => {
    if (fits(start, end)) return;
    if (group.length === 1) {
      visit(group[0] as Node, start, end);
      return;
    }
    let from = start;
    group.forEach((unit, k) => {
      const next = group[k + 1];
      const to = next ? Math.max(from, Math.min(end, next.startIndex)) : end;
      if (to > from) {
        visit(unit, from, to);
        if (to < end) cuts.push(to);
        from = to;
      }
    });
  };

  const visit = (node: Node, start: number, end: number) => {
    if (fits(start, end)) return;
    const units = flatten(childrenOf(node), []);
    if (units.length === 0) {
      lineCuts(text, start, end, cuts);
      return;
    }
    let from = start;
    let group: Node[] = [];
    for (const unit of units) {
      const cut = group.length === 0 ? -1 : lineAlignedStart(text, unit.startIndex);
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
    visit(tree.rootNode, 0, text.length);
  } finally {
    tree.delete(); // Trees live in WebAssembly memory, outside the garbage collector's reach.
  }
  return cuts;
}
