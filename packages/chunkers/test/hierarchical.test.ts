import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunk } from '../src/index.ts';
import { checkStrategyInvariants, documentArbitrary } from './support/invariants.ts';

describe('hierarchical', () => {
  it('links children to parents and tiles each parent exactly', () => {
    const text = 'A sentence about parents. '.repeat(40);
    const chunks = chunk(text, { strategy: 'hierarchical', levels: [300, 80], chunkOverlap: 20 });
    const parents = chunks.filter((c) => c.metadata.level === 0);
    const children = chunks.filter((c) => c.metadata.level === 1);
    expect(parents.length).toBeGreaterThan(2);
    expect(children.length).toBeGreaterThan(parents.length);
    for (const parent of parents) {
      const own = children.filter((c) => c.metadata.parentIndex === parent.index);
      expect(own[0]?.startOffset).toBe(parent.startOffset);
      expect(own.at(-1)?.endOffset).toBe(parent.endOffset);
      own.slice(1).forEach((child, i) => {
        expect(child.startOffset).toBe(own[i]?.endOffset);
      });
    }
  });

  it('supports three levels', () => {
    const text = 'Words and more words. '.repeat(60);
    const chunks = chunk(text, { strategy: 'hierarchical', levels: [600, 200, 50], chunkOverlap: 0 });
    expect(new Set(chunks.map((c) => c.metadata.level))).toEqual(new Set([0, 1, 2]));
    for (const c of chunks) {
      if (c.metadata.parentIndex === undefined) continue;
      const parent = chunks[c.metadata.parentIndex];
      expect(parent?.metadata.level).toBe((c.metadata.level as number) - 1);
      expect(c.startOffset).toBeGreaterThanOrEqual(parent?.startOffset ?? Number.NaN);
      expect(c.endOffset).toBeLessThanOrEqual(parent?.endOffset ?? Number.NaN);
    }
  });

  it('holds every invariant (property)', () => {
    const levels = fc
      .tuple(
        fc.integer({ min: 12, max: 200 }),
        fc.integer({ min: 4, max: 60 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
      )
      .filter(([parent, child]) => child < parent)
      .map(([parent, child, overlap]) => ({
        levels: [parent, child],
        chunkSize: parent,
        chunkOverlap: Math.floor(child * overlap),
      }));
    checkStrategyInvariants('hierarchical', { extra: levels, documents: documentArbitrary, numRuns: 100 });
  });
});
