import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** Static imports and re-exports (type-only ones too) and dynamic `import('…')`, by specifier. */
const importPattern =
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The `src` folder of every app and package. */
function sourceRoots(): string[] {
  return ['apps', 'packages']
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name, 'src')))
    .filter((path) => existsSync(path));
}

/** The file an import specifier names: as written, or with the extension or index it leaves out. */
function resolveModule(from: string, specifier: string): string {
  const target = resolve(dirname(from), specifier);
  if (existsSync(target) && !statSync(target).isDirectory()) return target;
  const found = [`${target}.ts`, `${target}.tsx`, join(target, 'index.ts')].find((path) => existsSync(path));
  if (!found) throw new Error(`${relative(root, from)} imports missing ${specifier}`);
  return found;
}

/** Each module of one source root (relative to it) → the modules of that root it imports. */
function importGraph(sourceRoot: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(sourceRoot)) {
    const imported: string[] = [];
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = (match[1] ?? match[2]) as string;
      if (specifier.startsWith('.')) imported.push(relative(sourceRoot, resolveModule(file, specifier)));
    }
    graph.set(relative(sourceRoot, file), imported);
  }
  return graph;
}

/** Every cycle reached by a depth-first walk, as the modules on it (first one repeated last). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (module: string) => {
    const onPath = path.indexOf(module);
    if (onPath >= 0) {
      found.push([...path.slice(onPath), module]);
      return;
    }
    if (done.has(module)) return;
    path.push(module);
    for (const next of graph.get(module) ?? []) visit(next);
    path.pop();
    done.add(module);
  };
  for (const module of graph.keys()) visit(module);
  return found;
}

// Between packages the one-way import rules of biome.json hold; this checks inside each of them.
describe('the module graph of every app and package', () => {
  it('has no import cycle, type-only imports included', () => {
    const roots = sourceRoots();
    expect(roots.map((path) => relative(root, path))).toEqual(
      expect.arrayContaining(['packages/chunkers/src', 'packages/core-services/src', 'apps/server/src']),
    );
    // The scan sees the edges that matter: the list of strategies imports each strategy module.
    expect(importGraph(join(root, 'packages/chunkers/src')).get('strategies/index.ts')).toEqual(
      expect.arrayContaining(['strategies/fixed.ts', 'strategies/hybrid.ts']),
    );
    const found = roots.flatMap((sourceRoot) =>
      cycles(importGraph(sourceRoot)).map((cycle) => `${relative(root, sourceRoot)}: ${cycle.join(' → ')}`),
    );
    expect(found).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });
});
