import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const repositoryRoot = join(import.meta.dirname, '../../../..');

/** Real text to chunk: the repository's own documentation and sources. */
export const realDocumentPaths = [
  'README.md',
  'packages/redis-manager/README.md',
  'packages/mempool/README.md',
  'prisma/schema.prisma',
  'packages/core-services/src/operations/operation-processor.ts',
  'packages/core-services/src/progress/progress-stream.ts',
  'packages/db/src/repositories/chunks.ts',
  'packages/mempool/src/memory-pool.ts',
  'packages/chunkers/src/chunk.ts',
  'packages/errors/src/application-error.ts',
];

export function realDocuments(): { name: string; content: string }[] {
  return realDocumentPaths.map((path) => ({
    name: path,
    content: readFileSync(join(repositoryRoot, path), 'utf8'),
  }));
}
