import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogram } from '../src/size-chart.ts';

describe('histogram', () => {
  it('puts every value in exactly one bin whose range holds it, bins tiling min..max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        (values, binCount) => {
          const bins = histogram(values, binCount);
          expect(bins.length).toBeLessThanOrEqual(binCount);
          expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(values.length);
          expect(bins[0]?.from).toBe(Math.min(...values));
          expect(bins.at(-1)?.to).toBeGreaterThanOrEqual(Math.max(...values));
          for (let i = 1; i < bins.length; i++) expect(bins[i]?.from).toBe((bins[i - 1]?.to ?? 0) + 1);
          for (const bin of bins) {
            expect(bin.count).toBe(values.filter((value) => bin.from <= value && value <= bin.to).length);
          }
        },
      ),
    );
  });

  it('has no bins without values', () => {
    expect(histogram([])).toEqual([]);
  });
});
