import type { Styles } from './styles.ts';
import { childrenNamed, findChild, firstChild, type XmlElement } from './xml-tree.ts';

/** A list level as mammoth's document model gives it to a numbered paragraph. */
export interface NumberingLevel {
  isOrdered: boolean;
  level: string;
  paragraphStyleId: string | undefined;
}

interface AbstractNum {
  levels: Record<string, NumberingLevel | undefined>;
  numStyleLink: string | undefined;
}

/** The list definitions of word/numbering.xml (mammoth's numbering-xml.js). */
export class Numbering {
  private readonly levelsByParagraphStyleId: Record<string, NumberingLevel | undefined> = Object.create(null);

  constructor(
    private readonly nums: Record<string, { abstractNumId: string | undefined } | undefined>,
    private readonly abstractNums: Record<string, AbstractNum | undefined>,
    private readonly styles: Styles,
  ) {
    // In key order, as mammoth indexes them: a style named by two levels keeps the last.
    for (const abstractNum of Object.values(abstractNums)) {
      for (const level of Object.values(abstractNum?.levels ?? {})) {
        if (level?.paragraphStyleId != null) this.levelsByParagraphStyleId[level.paragraphStyleId] = level;
      }
    }
  }

  /**
   * The level a `w:numId`/`w:ilvl` pair names, following numbering styles' links (each numId once:
   * a loop of links is no list), iteratively, however long a chain a document makes.
   */
  findLevel(numId: string, level: string): NumberingLevel | undefined | null {
    const seen = new Set<string>();
    let current: string | undefined = numId;
    while (current !== undefined && !seen.has(current)) {
      seen.add(current);
      const num: { abstractNumId: string | undefined } | undefined = this.nums[current];
      const abstractNum: AbstractNum | undefined = num && this.abstractNums[`${num.abstractNumId}`];
      if (!abstractNum) return null;
      if (abstractNum.numStyleLink == null) return abstractNum.levels[level];
      // mammoth fails the whole document on a link to a style that does not exist; it is no list here.
      current = this.styles.numbering[abstractNum.numStyleLink]?.numId;
    }
    return null;
  }

  findLevelByParagraphStyleId(styleId: string): NumberingLevel | null {
    return this.levelsByParagraphStyleId[styleId] ?? null;
  }
}

export function emptyNumbering(styles: Styles): Numbering {
  return new Numbering(Object.create(null), Object.create(null), styles);
}

export function readNumbering(root: XmlElement, styles: Styles): Numbering {
  const abstractNums: Record<string, AbstractNum> = Object.create(null);
  for (const element of childrenNamed(root, 'w:abstractNum')) {
    abstractNums[`${element.attributes['w:abstractNumId']}`] = readAbstractNum(element);
  }
  const nums: Record<string, { abstractNumId: string | undefined }> = Object.create(null);
  for (const element of childrenNamed(root, 'w:num')) {
    // mammoth fails the whole document on a w:num without w:abstractNumId; it is no list here.
    const abstractNumId = findChild(element, 'w:abstractNumId')?.attributes['w:val'];
    nums[`${element.attributes['w:numId']}`] = { abstractNumId };
  }
  return new Numbering(nums, abstractNums, styles);
}

function readAbstractNum(element: XmlElement): AbstractNum {
  const levels: Record<string, NumberingLevel> = Object.create(null);
  // Some documents define a level without an index and reference it without w:ilvl: it is level 0.
  let levelWithoutIndex: NumberingLevel | null = null;
  for (const levelElement of childrenNamed(element, 'w:lvl')) {
    const levelIndex = levelElement.attributes['w:ilvl'];
    const isOrdered = firstChild(levelElement, 'w:numFmt').attributes['w:val'] !== 'bullet';
    const paragraphStyleId = firstChild(levelElement, 'w:pStyle').attributes['w:val'];
    if (levelIndex === undefined) {
      levelWithoutIndex = { isOrdered, level: '0', paragraphStyleId };
    } else {
      levels[levelIndex] = { isOrdered, level: levelIndex, paragraphStyleId };
    }
  }
  if (levelWithoutIndex && levels[levelWithoutIndex.level] === undefined) {
    levels[levelWithoutIndex.level] = levelWithoutIndex;
  }
  return { levels, numStyleLink: firstChild(element, 'w:numStyleLink').attributes['w:val'] };
}
