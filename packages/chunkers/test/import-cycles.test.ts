import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const sourceRoot = join(import.meta.dirname, '../src');

/** Static imports and re-exports (type-only ones too) and dynamic `import('…')`, by specifier. */
const importPattern =
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each module of the package (relative to src) → the package modules it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(sourceRoot)) {
    const imported: string[] = [];
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = (match[1] ?? match[2]) as string;
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (!existsSync(target)) throw new Error(`${relative(sourceRoot, file)} imports missing ${specifier}`);
      imported.push(relative(sourceRoot, target));
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

describe('the chunkers module graph', () => {
  it('has no import cycle, type-only imports included', () => {
    const graph = importGraph();
    // The scan sees the edges that matter: the list of strategies imports each strategy module.
    expect(graph.get('strategies/index.ts')).toEqual(
      expect.arrayContaining(['strategies/fixed.ts', 'strategies/hybrid.ts']),
    );
    expect(cycles(graph)).toEqual([]);
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
