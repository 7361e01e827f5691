import type { NewChunk, Page } from '../../src/index.ts';

/** Chunks of these char counts laid end to end, each made of `letter`. */
export function chunksOfSizes(sizes: readonly number[], letter = 'z'): NewChunk[] {
  let start = 0;
  return sizes.map((size, chunkIndex) => {
    const chunk = {
      chunkIndex,
      startOffset: start,
      endOffset: start + size,
      charCount: size,
      tokenCount: 1,
      content: letter.repeat(size),
    };
    start += size;
    return chunk;
  });
}

/** Every item of a paginated listing, page after page. */
export async function readAll<T>(readPage: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await readPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
