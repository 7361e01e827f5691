import { setTimeout as delay } from 'node:timers/promises';
import type { ChunkflowClient } from '@chunkflow/client';

const FINAL = new Set(['completed', 'failed', 'cancelled']);

export async function createCollection(client: ChunkflowClient, name: string): Promise<string> {
  return (await client.collections.create.mutate({ name })).id;
}

/** Documents made through `documents.create`, one per content, in order. */
export async function createDocuments(
  client: ChunkflowClient,
  collectionId: string,
  contents: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, content] of contents.entries()) {
    ids.push((await client.documents.create.mutate({ collectionId, name: `doc-${index}`, content })).id);
  }
  return ids;
}

/** The operation once it reaches a final status, or its last state when `withinMs` runs out first. */
export async function settledOperation(client: ChunkflowClient, operationId: string, withinMs: number) {
  const giveUpAt = performance.now() + withinMs;
  for (;;) {
    const operation = await client.operations.get.query({ id: operationId });
    if (FINAL.has(operation.status) || performance.now() > giveUpAt) return operation;
    await delay(200);
  }
}

/** Polls until the operation has left `pending` (a job slot took it), or `withinMs` runs out. */
export async function startedOperation(client: ChunkflowClient, operationId: string, withinMs: number) {
  const giveUpAt = performance.now() + withinMs;
  for (;;) {
    const operation = await client.operations.get.query({ id: operationId });
    if (operation.status !== 'pending' || performance.now() > giveUpAt) return operation;
    await delay(100);
  }
}

export interface StoredChunkFacts {
  chunkIndex: number;
  operationId: string | null;
  contentLength: number;
}

/** Every stored chunk of a document, page by page. */
export async function documentChunks(
  client: ChunkflowClient,
  collectionId: string,
  documentId: string,
): Promise<StoredChunkFacts[]> {
  const chunks: StoredChunkFacts[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.chunks.list.query({ collectionId, documentId, limit: 100, cursor });
    for (const chunk of page.items) {
      chunks.push({
        chunkIndex: chunk.chunkIndex,
        operationId: chunk.operationId,
        contentLength: chunk.content.length,
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return chunks;
}

/** True when the chunk indexes are exactly 0…n-1, none missing, none doubled. */
export function contiguous(chunks: readonly StoredChunkFacts[]): boolean {
  const indexes = chunks.map((chunk) => chunk.chunkIndex).sort((a, b) => a - b);
  return indexes.every((index, position) => index === position);
}
