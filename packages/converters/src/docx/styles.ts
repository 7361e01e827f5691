import { childrenNamed, findChild, firstChild, type XmlElement } from './xml-tree.ts';

export interface Style {
  styleId: string | undefined;
  name: string | null | undefined;
}

export interface NumberingStyle {
  styleId: string | undefined;
  /** The numbering a numbering style stands for (its `w:pPr/w:numPr/w:numId`). */
  numId: string | undefined;
}

type ById<T> = Record<string, T | undefined>;

/** The styles of word/styles.xml by type and id (mammoth's styles-reader.js). */
export interface Styles {
  paragraph: ById<Style>;
  character: ById<Style>;
  table: ById<Style>;
  numbering: ById<NumberingStyle>;
}

export function emptyStyles(): Styles {
  return { paragraph: byId(), character: byId(), table: byId(), numbering: byId() };
}

export function readStyles(root: XmlElement): Styles {
  const styles = emptyStyles();
  for (const element of childrenNamed(root, 'w:style')) {
    const type = element.attributes['w:type'];
    const styleId = element.attributes['w:styleId'];
    const set =
      type === 'paragraph' || type === 'character' || type === 'table' || type === 'numbering'
        ? styles[type]
        : undefined;
    // A style id given twice keeps its first definition (ECMA-376 17.7.4.17).
    if (!set || set[`${styleId}`] !== undefined) continue;
    if (type === 'numbering') {
      const numId = firstChild(firstChild(firstChild(element, 'w:pPr'), 'w:numPr'), 'w:numId');
      styles.numbering[`${styleId}`] = { styleId, numId: numId.attributes['w:val'] };
    } else {
      const name = findChild(element, 'w:name');
      (set as ById<Style>)[`${styleId}`] = { styleId, name: name ? name.attributes['w:val'] : null };
    }
  }
  return styles;
}

function byId<T>(): ById<T> {
  return Object.create(null);
}
