import { setTimeout as delay } from 'node:timers/promises';
import type { ChunkflowClient, StrategyChoice } from '@chunkflow/client';
import { expect } from 'vitest';
import { realDocuments } from './documents.ts';

/** Many small token-sized chunks: an operation long enough to interrupt, every chunk countable. */
export const SMALL_TOKEN_CHUNKS: StrategyChoice = {
  strategy: 'fixed',
  config: { chunkSize: 128, chunkOverlap: 16, sizeUnit: 'tokens' },
};

/** A collection of `copies` × the repository's real documents, each copy made distinct. */
export async function seedCollection(
  client: ChunkflowClient,
  name: string,
  copies: number,
): Promise<{ collectionId: string; documentIds: string[] }> {
  const { id: collectionId } = await client.collections.create.mutate({ name });
  const documentIds: string[] = [];
  for (let copy = 0; copy < copies; copy += 1) {
    for (const source of realDocuments()) {
      const created = await client.documents.create.mutate({
        collectionId,
        name: `${copy}/${source.name}`,
        content: `${source.content}\n\ncopy ${copy}\n`,
      });
      documentIds.push(created.id);
    }
  }
  return { collectionId, documentIds };
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Polls the operation (a database read) until it reaches a final status. */
export async function settledOperation(client: ChunkflowClient, operationId: string) {
  for (;;) {
    const operation = await client.operations.get.query({ id: operationId });
    if (TERMINAL.has(operation.status)) return operation;
    await delay(200);
  }
}

/**
 * Checks that every document holds exactly the chunks the strategy makes of it (indices 0…n-1,
 * none missing, none doubled) and returns their total.
 */
export async function expectExactChunks(
  client: ChunkflowClient,
  collectionId: string,
  documentIds: string[],
  choice: StrategyChoice,
): Promise<number> {
  let total = 0;
  for (const documentId of documentIds) {
    const preview = await client.chunking.preview.mutate({ documentId, ...choice, maxChunks: 1 });
    expect(await storedChunkIndexes(client, collectionId, documentId)).toEqual(
      Array.from({ length: preview.totalChunks }, (_, index) => index),
    );
    total += preview.totalChunks;
  }
  return total;
}

/** Every stored chunk index of a document, page by page (real documents can hold hundreds). */
async function storedChunkIndexes(
  client: ChunkflowClient,
  collectionId: string,
  documentId: string,
): Promise<number[]> {
  const indexes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.chunks.list.query({ collectionId, documentId, limit: 100, cursor });
    indexes.push(...page.items.map((chunk) => chunk.chunkIndex));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return indexes;
}
