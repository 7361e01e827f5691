// Every dependency a workspace manifest lists is used by that package, and every package its code
// imports is listed in its own manifest (pnpm only links what a package declares).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependencyReports, importedPackages, packageOf } from './dependency-usage.ts';

const root = join(import.meta.dirname, '..');

/** Used, but not by an import or a binary the scan can see. */
const toolOnly = new Set([
  // tooling/typescript/base.json's `types: ["node"]`, which every tsconfig extends.
  '. @types/node',
  // @fastify/static's types import 'fastify' without declaring it; only the root node_modules has it.
  '. fastify',
  // Peer dependencies of @prometheus-io/lezer-promql, which apps/server's alert tests load.
  'apps/server @lezer/highlight',
  'apps/server @lezer/lr',
  // Peer dependency of @langchain/textsplitters, a comparison peer in the chunkers bench.
  'packages/chunkers @langchain/core',
  // Peers of the conversion bench's LangChain loaders and LlamaIndex readers; pdf-parse is the
  // PDF engine LangChain's PDFLoader loads itself.
  'packages/converters @langchain/core',
  'packages/converters @llamaindex/core',
  'packages/converters @llamaindex/env',
  'packages/converters pdf-parse',
  // The playground page the server's build copies into its dist (so turbo builds the page first).
  'apps/server @chunkflow/web',
  // Named by the client's published declarations (the schema types they carry), not by its code.
  'packages/client zod',
  // Imported by the Prisma client generated into src/generated (not tracked).
  'packages/db @prisma/client',
]);

/** Root tools every package may import without listing them: the test runner and the compiler. */
const workspaceTools = new Set(['vitest', 'typescript', '@types/node', 'tsx']);

const dirs = [
  '.',
  ...['apps', 'packages', 'tooling'].flatMap((group) =>
    readdirSync(join(root, group)).map((entry) => `${group}/${entry}`),
  ),
];

describe('workspace dependencies', () => {
  const reports = dependencyReports(root, dirs, toolOnly, workspaceTools);

  it.each(reports.map((report) => [report.dir, report] as const))(
    '%s lists only what it uses',
    (_, report) => {
      expect(report.unused).toEqual([]);
    },
  );

  it.each(reports.map((report) => [report.dir, report] as const))('%s lists all it imports', (_, report) => {
    expect(report.undeclared).toEqual([]);
  });
});

/**
 * Packages the built code of `dir` loads at run time: value imports (type-only ones are erased by
 * the build) of its src/, less tests, test helpers, source-only thread bootstraps and generated code.
 */
function runtimeImports(dir: string): Set<string> {
  const found = new Set<string>();
  const files = readdirSync(join(root, dir, 'src'), { recursive: true })
    .map(String)
    .filter((file) => /\.(ts|mjs)$/.test(file) && !/(\.test\.ts|-source\.mjs|^testing\.ts)$/.test(file))
    .filter((file) => !file.startsWith('generated'));
  const valueImport =
    /^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]|import\(['"]([^'"]+)['"]\)/gm;
  for (const file of files) {
    for (const match of readFileSync(join(root, dir, 'src', file), 'utf8').matchAll(valueImport)) {
      const name = packageOf(match[1] ?? match[2] ?? match[3] ?? '');
      if (name) found.add(name);
    }
  }
  return found;
}

describe('production dependencies', () => {
  // What a release installs (`pnpm deploy --prod`) is `dependencies`: a package the built code loads
  // but lists only among devDependencies is missing there, though every test passes.
  const built = dirs.filter((dir) => existsSync(join(root, dir, 'tsconfig.build.json')));
  it.each(built)('%s declares what its built code loads as dependencies', (dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
    };
    const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {})]);
    expect([...runtimeImports(dir)].filter((name) => !declared.has(name))).toEqual([]);
  });
});

describe('import scan', () => {
  it('finds static, dynamic, re-export, require and type references', () => {
    const text = [
      "import { a } from '@scope/pkg/sub';",
      "import type { B } from 'typed';",
      "export * from 'reexported';",
      "const c = await import('dynamic');",
      "const d = require('required');",
      '/// <reference types="referenced" />',
      "import 'side-effect';",
      "import { readFile } from 'node:fs/promises';",
      "import { local } from './local.ts';",
    ].join('\n');
    expect([...importedPackages(text)].sort()).toEqual(
      ['@scope/pkg', 'dynamic', 'reexported', 'referenced', 'required', 'side-effect', 'typed'].sort(),
    );
  });

  it('reads tsconfig types, mapping node to @types/node', () => {
    expect([...importedPackages('{ "types": ["node", "vite/client"] }')].sort()).toEqual([
      '@types/node',
      'vite',
    ]);
  });

  it('ignores builtins and relative paths', () => {
    expect(packageOf('fs')).toBeUndefined();
    expect(packageOf('../x')).toBeUndefined();
    expect(packageOf('lru-cache')).toBe('lru-cache');
  });
});
