// A ~2 MB benchmark corpus of real text that ships inside installed npm packages: Markdown docs,
// licence prose, JavaScript/TypeScript source, and READMEs in Russian, Ukrainian, Chinese,
// Japanese, Korean and Hindi plus a multilingual (Greek, Arabic, …) tokenizer test plan.
// Files are read at bench time (nothing large is committed); the list and the order are fixed,
// so every run with the same lockfile chunks the same text.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Kind = 'markdown' | 'prose' | 'code' | 'multilingual';

interface SourceGroup {
  kind: Kind;
  /** Package name and paths inside it; a path ending in `/*.ext` takes that folder's files, sorted. */
  files: [pkg: string, paths: string[]][];
}

const groups: SourceGroup[] = [
  { kind: 'markdown', files: [['fastify', ['docs/Reference/*.md', 'docs/Guides/*.md']]] },
  {
    kind: 'prose',
    files: [
      ['vite', ['LICENSE.md']],
      ['vitest', ['LICENSE.md']],
      ['typescript', ['NOTICE.txt', 'LICENSE']],
      ['@biomejs/biome', ['LICENSE-APACHE', 'LICENSE-MIT']],
    ],
  },
  {
    kind: 'code',
    files: [
      ['fastify', ['fastify.js', 'lib/*.js', 'fastify.d.ts', 'types/*.d.ts']],
      ['zod', ['v4/core/*.d.ts']],
    ],
  },
  {
    kind: 'multilingual',
    files: [
      [
        '@biomejs/biome',
        ['README.ru.md', 'README.uk.md', 'README.zh-CN.md', 'README.zh-TW.md', 'README.ja.md'],
      ],
      ['@biomejs/biome', ['README.kr.md', 'README.hi.md']],
      ['gpt-tokenizer', ['data/TestPlans.txt']],
    ],
  },
];

const here = dirname(fileURLToPath(import.meta.url));

/** Where a package is installed: a direct dependency, or (for the others) pnpm's hidden hoisting folder. */
function packageDir(name: string): string {
  for (let dir = here; ; dir = dirname(dir)) {
    for (const folder of ['node_modules', 'node_modules/.pnpm/node_modules']) {
      const candidate = join(dir, folder, name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
    }
    if (dirname(dir) === dir) throw new Error(`Package ${name} is not installed; run pnpm install`);
  }
}

function expand(root: string, path: string): string[] {
  const star = path.indexOf('/*');
  if (star < 0) return [join(root, path)];
  const folder = join(root, path.slice(0, star));
  const extension = path.slice(star + 2);
  return readdirSync(folder)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => join(folder, name));
}

export interface Corpus {
  text: string;
  /** UTF-8 size, the unit of every MB/s figure. */
  bytes: number;
  parts: { file: string; kind: Kind; chars: number }[];
}

/**
 * Interleaves the four kinds file by file, always topping up the kind with the fewest bytes so
 * far (so each ends near a quarter), cycling through a kind's files when they run out, until
 * `targetBytes` of UTF-8 is reached.
 */
export function buildCorpus(targetBytes = 2_100_000): Corpus {
  const queues = groups.map(({ kind, files }) => ({
    kind,
    paths: files.flatMap(([pkg, paths]) => paths.flatMap((path) => expand(packageDir(pkg), path))),
    taken: 0,
    bytes: 0,
  }));
  const pieces: string[] = [];
  const parts: Corpus['parts'] = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    const queue = queues.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    const file = queue.paths[queue.taken++ % queue.paths.length] as string;
    const content = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    pieces.push(content);
    parts.push({
      file: file.slice(file.lastIndexOf('node_modules/') + 13),
      kind: queue.kind,
      chars: content.length,
    });
    const size = Buffer.byteLength(content) + 2;
    queue.bytes += size;
    bytes += size;
  }
  const text = pieces.join('\n\n');
  return { text, bytes: Buffer.byteLength(text), parts };
}

/** The corpus's files of one kind, joined as the corpus joins them: e.g. only its source code. */
export function textOfKind(corpus: Corpus, kind: Kind): string {
  const pieces: string[] = [];
  let at = 0;
  for (const part of corpus.parts) {
    if (part.kind === kind) pieces.push(corpus.text.slice(at, at + part.chars));
    at += part.chars + 2; // the blank line between files
  }
  return pieces.join('\n\n');
}
