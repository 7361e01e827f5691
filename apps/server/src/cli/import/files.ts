import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';

export interface LocalFile {
  /** Absolute path. */
  path: string;
  /** The document's name: the path relative to the folder (or to the glob's working directory). */
  name: string;
  bytes: number;
}

/** Characters that make a path segment a pattern (tinyglobby's syntax). */
const MAGIC = /[*?[\]{}()!]/;

/** The folder a glob's matches are named from: its leading segments that are plain names. */
function staticBase(pattern: string, cwd: string): string {
  const segments = pattern.split('/');
  const plain: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (MAGIC.test(segment)) break;
    plain.push(segment);
  }
  return resolve(cwd, plain.join('/') || '.');
}

/**
 * The files a source names, sorted by name: every file under a folder (hidden ones and
 * `node_modules` left out), or those a glob matches, named from the glob's folder part. The order
 * is stable, so a rerun sends files in the same order. Relative sources are taken from `cwd`.
 */
export async function filesOf(source: string, cwd: string): Promise<LocalFile[]> {
  const folder = await stat(resolve(cwd, source)).then(
    (found) => (found.isDirectory() ? resolve(cwd, source) : undefined),
    () => undefined,
  );
  const base = folder ?? staticBase(source, cwd);
  const paths = await glob(folder ? ['**/*'] : [source], {
    cwd: folder ?? cwd,
    absolute: true,
    onlyFiles: true,
    ignore: ['**/node_modules/**'],
    expandDirectories: false,
  });
  const files = await Promise.all(
    paths.map(async (path) => ({ path, name: relative(base, path), bytes: (await stat(path)).size })),
  );
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** SHA-256 of the file's bytes: what the server records as the document's `sourceHash`. */
export async function hashOf(file: LocalFile): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file.path))
    .digest('hex');
}
