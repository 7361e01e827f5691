import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from './bench-report/generate.ts';
import { splice, table } from './bench-report/markdown.ts';

const root = join(import.meta.dirname, '..');

describe('pnpm bench:report', () => {
  it.each(generatedFiles(root))(
    '$path holds the figures generated from bench/results/, byte for byte',
    ({ path, content }) => {
      // On failure: pnpm bench:report, and commit the regenerated tables with the results.
      expect(readFileSync(join(root, path), 'utf8')).toBe(content);
    },
  );

  it('pads tables as Biome formats them and replaces only what lies between the markers', () => {
    expect(table(['a', 'long header'], [['wider cell', 'x']])).toBe(
      ['| a          | long header |', '| ---------- | ----------- |', '| wider cell | x           |'].join(
        '\n',
      ),
    );
    const document = 'before\n<!-- x:start -->\nold\n<!-- x:end -->\nafter\n';
    expect(splice(document, 'x', 'new')).toBe('before\n<!-- x:start -->\n\nnew\n\n<!-- x:end -->\nafter\n');
    expect(() => splice('no markers', 'x', 'new')).toThrow(/markers/);
  });
});
