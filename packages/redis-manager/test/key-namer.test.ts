import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyNamer } from '../src/index.ts';

const prefix = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);
const part = fc.string({ minLength: 1, maxLength: 20 });
const parts = fc.array(part, { minLength: 1, maxLength: 4 }) as fc.Arbitrary<[string, ...string[]]>;

describe('KeyNamer', () => {
  it('names every key under its prefix, matched by its pattern', () => {
    fc.assert(
      fc.property(prefix, parts, (p, ps) => {
        const keys = new KeyNamer(p);
        expect(keys.of(...ps)).toBe(`${p}:${ps.join(':')}`);
        expect(keys.pattern).toBe(`${p}:*`);
      }),
    );
  });

  it('never gives two different prefixes the same key', () => {
    fc.assert(
      fc.property(prefix, prefix, parts, parts, (p1, p2, ps1, ps2) => {
        fc.pre(p1 !== p2);
        expect(new KeyNamer(p1).of(...ps1)).not.toBe(new KeyNamer(p2).of(...ps2));
      }),
    );
  });

  it.each(['', 'a:b', 'run*', 'x?', 'with space', 'a'.repeat(65)])('rejects the prefix %j', (bad) => {
    expect(() => new KeyNamer(bad)).toThrow(RangeError);
  });

  it('rejects empty parts', () => {
    expect(() => new KeyNamer('p').of('cache', '')).toThrow(RangeError);
  });
});
