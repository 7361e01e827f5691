// @chunkflow/client as a project outside this repository gets it: packed (pnpm pack), installed
// from the tarball with npm into a fresh TypeScript project, type-checked strictly (its shipped
// declarations too: no skipLibCheck) and run against a real server.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, builtEnvironment, repositoryDir } from './support/built.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const run = promisify(execFile);
const tsc = join(repositoryDir, 'node_modules/.bin/tsc');

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    outDir: 'out',
    types: [],
    lib: ['ES2023', 'DOM'],
  },
  include: ['main.ts'],
};

// Each `@ts-expect-error` must meet an error: with untyped (any) declarations the program fails to
// compile on an unused directive, so this checks the types are real, not merely present.
const PROGRAM = `import { type AppRouter, createChunkflowClient, exportChunks, type StrategyName } from '@chunkflow/client';
import type { inferRouterOutputs } from '@trpc/server';

type IsAny<T> = 0 extends 1 & T ? true : false;
const notAny = <T>(value: T, _proof: IsAny<T> extends false ? true : never) => value;

const url = process.env.CHUNKFLOW_URL ?? '';
const client = createChunkflowClient({ url, apiKey: process.env.CHUNKFLOW_API_KEY ?? '' });

const preview = await client.chunking.preview.mutate({
  content: '# Title\\n\\nFirst paragraph. Second sentence.\\n\\nAnother paragraph.',
  strategy: 'markdown',
  config: { chunkSize: 40, chunkOverlap: 0, headingLevels: [1, 2] },
});
const previewId: string = notAny(preview.previewId, true);
const expiresAt: Date = notAny(preview.expiresAt, true);
const offsets: number[] = preview.chunks.map((chunk) => chunk.endOffset - chunk.startOffset);

type Outputs = inferRouterOutputs<AppRouter>;
const total: Outputs['chunking']['preview']['totalChunks'] = preview.totalChunks;

const collection = await client.collections.create.mutate({ name: 'from a fresh project' });
let exported = 0;
for await (const line of exportChunks({ url, apiKey: process.env.CHUNKFLOW_API_KEY ?? '', collectionId: collection.id })) {
  const content: string = line.content;
  exported += content.length;
}

function neverCalled() {
  // Compiles: an alias, with the keys of the strategy it names.
  const alias: StrategyName = 'document_structure';
  void client.chunking.preview.mutate({ content: 'text', strategy: alias, config: { headingLevels: [2] } });
  // @ts-expect-error not a strategy name
  void client.chunking.preview.mutate({ content: 'text', strategy: 'recursiv' });
  // @ts-expect-error headingLevels is the markdown strategy's key, not fixed's
  void client.chunking.preview.mutate({ content: 'text', strategy: 'fixed', config: { headingLevels: [1] } });
  // @ts-expect-error maxChunks is a number
  void client.chunking.preview.mutate({ content: 'text', strategy: 'recursive', maxChunks: 'ten' });
  // @ts-expect-error strategy is required
  void client.chunking.preview.mutate({ content: 'text' });
  // @ts-expect-error a collection needs its name
  void client.collections.create.mutate({});
  // @ts-expect-error previewId is a string
  const wrong: number = preview.previewId;
  // @ts-expect-error no such procedure
  void client.chunking.noSuchProcedure;
  return wrong;
}
void neverCalled;

console.log(JSON.stringify({ previewId, expiresAt: expiresAt instanceof Date, offsets, total, exported, collection: collection.name }));
`;

/** Calls that must not compile, each alone in a program, with the one error it must fail with. */
const REFUSED_PROGRAMS = [
  {
    file: 'missing-field.ts',
    call: `client.chunking.preview.mutate({ content: 'text' })`,
    error: /^error TS\d+: .*Property 'strategy' is missing/s,
  },
  {
    file: 'wrong-strategy.ts',
    call: `client.chunking.preview.mutate({ content: 'text', strategy: 'recursiv' })`,
    error:
      /^error TS2820: Type '"recursiv"' is not assignable to type '[^']+'\. Did you mean '"recursive"'\?/,
  },
  {
    file: 'foreign-config-key.ts',
    call: `client.chunking.applyToCollection.mutate({ collectionId: 'c', strategy: 'fixed', config: { headingLevels: [1] } })`,
    error:
      /^error TS2353: Object literal may only specify known properties, and 'headingLevels' does not exist/,
  },
];

const refusedProgram = (call: string) => `import { createChunkflowClient } from '@chunkflow/client';
const client = createChunkflowClient({ url: 'http://127.0.0.1:1' });
void ${call};
`;

/** tsc's diagnostics (`file(line,col): error TS…: …` and their indented continuation lines). */
function diagnosticsOf(output: string): Array<{ file: string; line: number; text: string }> {
  return output
    .split(/\n(?=\S)/)
    .map((block) => /^([^(\n]+)\((\d+),\d+\): (error.*?)\s*$/s.exec(block))
    .filter((match) => match !== null)
    .map(([, file = '', line = '', text = '']) => ({ file, line: Number(line), text }));
}

describe('the packed client in a fresh project', () => {
  let project = '';
  let server: TestServer | undefined;
  beforeAll(async () => {
    await buildPackage('@chunkflow/client');
    project = await mkdtemp(join(tmpdir(), 'chunkflow-client-user-'));
    await run('pnpm', ['pack', '--pack-destination', project], {
      cwd: join(repositoryDir, 'packages/client'),
    });
    const tarball = (await readdir(project)).find((file) => file.endsWith('.tgz')) ?? '';
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'client-user', private: true, type: 'module' }, null, 2),
    );
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    await writeFile(join(project, 'main.ts'), PROGRAM);
    // @types/node for process and console; the client brings everything else it needs.
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`, '@types/node@20.19.43'],
      { cwd: project, env: builtEnvironment({}) },
    );
    server = await startTestServer('embedded');
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('type-checks a program with full types (wrong calls fail to compile) and runs it against a server', async () => {
    // What installs with it names no workspace package: what it ships is all it needs.
    const manifest = JSON.parse(
      await readFile(join(project, 'node_modules/@chunkflow/client/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string>; exports: unknown };
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@chunkflow/'))).toEqual([]);
    expect(JSON.stringify(manifest.exports)).not.toContain('src/');

    const tsconfig = { ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, types: ['node'] } };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const compiled = await run(tsc, ['-p', 'tsconfig.json'], { cwd: project }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(compiled).toBe('');

    const { stdout } = await run(process.execPath, ['out/main.js'], {
      cwd: project,
      env: builtEnvironment({ CHUNKFLOW_URL: server?.url ?? '', CHUNKFLOW_API_KEY: server?.apiKey ?? '' }),
    });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ expiresAt: true, exported: 0, collection: 'from a fresh project' });
    expect(result.total).toBe((result.offsets as number[]).length);
    expect(result.previewId).toMatch(/^\w+$/);
  }, 300_000);

  it('fails to compile programs with a missing field, a wrong strategy name or a foreign config key', async () => {
    // Beside the expected errors above, plain programs that must not compile: each with its error.
    for (const { file, call } of REFUSED_PROGRAMS) await writeFile(join(project, file), refusedProgram(call));
    const output = await run(
      tsc,
      [
        '--ignoreConfig',
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--target',
        'es2023',
        '--types',
        'node',
        ...REFUSED_PROGRAMS.map(({ file }) => file),
      ],
      { cwd: project },
    ).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    const diagnostics = diagnosticsOf(output);
    for (const { file, error } of REFUSED_PROGRAMS) {
      expect(
        diagnostics.filter((diagnostic) => diagnostic.file === file),
        output,
      ).toEqual([{ file, line: 3, text: expect.stringMatching(error) }]);
    }
    // Nothing else failed: not the shipped declarations, not another line.
    expect(diagnostics.map((diagnostic) => diagnostic.file).sort()).toEqual(
      REFUSED_PROGRAMS.map(({ file }) => file).sort(),
    );
  }, 120_000);
});
