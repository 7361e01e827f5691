import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { type FoundRegex, findRegexes, sourceFiles } from './extract.ts';

const root = join(import.meta.dirname, '../..');
const fixture = join(import.meta.dirname, 'fixtures/backtracking.ts');
const found = findRegexes(root, [...sourceFiles(root, ['packages', 'apps']), fixture]);
const tree = found.filter((regex) => !regex.file.startsWith('scripts/'));
const fromFixture = found.filter((regex) => regex.file.startsWith('scripts/'));

const chunkersRequire = createRequire(join(root, 'packages/chunkers/package.json'));

/**
 * `RegExp(...)` calls whose pattern is not a literal: each names where its sources come from, and
 * those are checked instead.
 */
const dynamicPatterns: Record<string, () => { source: string; flags: string }[]> = {
  // The tokenizers' pre-tokenizer patterns, copied with the sticky flag.
  "packages/chunkers/src/sizing/encodings.ts: new RegExp(pattern.source, 'uy')": () => {
    const constants = chunkersRequire('gpt-tokenizer/cjs/encodingParams/constants') as Record<string, RegExp>;
    return ['CL100K_TOKEN_SPLIT_REGEX', 'O200K_TOKEN_SPLIT_REGEX'].map((name) => ({
      source: (constants[name] as RegExp).source,
      flags: 'uy',
    }));
  },
};

function problem(regex: { source: string; flags: string }, where: string): string | undefined {
  const diagnostics = checkSync(regex.source, regex.flags);
  if (diagnostics.status !== 'vulnerable') return undefined;
  return `${where}: /${regex.source}/${regex.flags} is ${diagnostics.complexity.summary} (attack: ${JSON.stringify(diagnostics.attack.pumps)})`;
}

const located = (regex: FoundRegex) => `${regex.file}:${regex.line}`;

describe('regular expressions of the source tree (ReDoS guard)', () => {
  it('finds them with the TypeScript parser, literals and RegExp calls alike', () => {
    // The tree has ~90; far fewer means the extraction broke, not that the code got safer.
    expect(tree.length).toBeGreaterThanOrEqual(60);
    expect(tree).toContainEqual(
      expect.objectContaining({
        file: 'packages/chunkers/src/strategies/markdown-structure.ts',
        kind: 'literal',
        source: '^ {0,3}(`{3,}|~{3,})',
      }),
    );
    expect(tree).toContainEqual(
      expect.objectContaining({ file: 'packages/chunkers/src/sizing/encodings.ts', kind: 'constructor' }),
    );
  });

  it('flags a backtracking pattern (the check can fail)', () => {
    expect(fromFixture.map((regex) => [regex.kind, regex.source, regex.flags])).toEqual([
      ['literal', String.raw`^\s*impl\s+[\w:<>, ]+\s*\{`, ''],
      ['constructor', '^[a-z]+$', 'i'],
    ]);
    const [impl, safe] = fromFixture as [FoundRegex, FoundRegex];
    expect(problem({ source: impl.source ?? '', flags: impl.flags }, located(impl))).toMatch(
      /backtracking\.ts:2: .* is \d\w* degree polynomial/,
    );
    expect(problem({ source: safe.source ?? '', flags: safe.flags }, located(safe))).toBeUndefined();
  }, 60_000);

  it('has no pattern whose matching time is super-linear', () => {
    const problems: string[] = [];
    const dynamic: string[] = [];
    for (const regex of tree) {
      if (regex.source === undefined) {
        const key = `${regex.file}: ${regex.text}`;
        dynamic.push(key);
        for (const source of dynamicPatterns[key]?.() ?? []) {
          const found = problem(source, located(regex));
          if (found) problems.push(found);
        }
        continue;
      }
      const found = problem({ source: regex.source, flags: regex.flags }, located(regex));
      if (found) problems.push(found);
    }
    // A new non-literal pattern must say where its sources come from (in dynamicPatterns).
    expect(dynamic.sort()).toEqual(Object.keys(dynamicPatterns).sort());
    expect(problems).toEqual([]);
  }, 300_000);
});
