import { describe, expect, it } from 'vitest';
import { progressOfDonePrefix, sliceBounds, sliceCount } from '../src/operations/operation-slices.ts';

describe('operation slices', () => {
  it('cut every plan into contiguous slices that cover it once, none empty and none over the size', () => {
    for (const total of [1, 2, 7, 999, 1_000, 1_001, 2_500, 100_003]) {
      for (const size of [1, 3, 64, 1_000]) {
        const slices = sliceCount(total, size);
        let next = 0;
        for (let slice = 0; slice < slices; slice += 1) {
          const { start, end } = sliceBounds(total, slices, slice);
          expect(start).toBe(next);
          expect(end).toBeGreaterThan(start);
          expect(end - start).toBeLessThanOrEqual(size);
          next = end;
        }
        expect(next).toBe(total);
      }
    }
    expect(sliceCount(0, 10)).toBe(0);
  });

  it('count a done prefix of the plan into the slices it covers', () => {
    expect(progressOfDonePrefix(10, 3, 0)).toEqual([0, 0, 0]);
    expect(progressOfDonePrefix(10, 3, 4)).toEqual([3, 1, 0]);
    expect(progressOfDonePrefix(10, 3, 10)).toEqual([3, 3, 4]);
    for (let done = 0; done <= 10; done += 1) {
      expect(progressOfDonePrefix(10, 3, done).reduce((sum, count) => sum + count, 0)).toBe(done);
    }
  });
});
