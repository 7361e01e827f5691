import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { ChunkflowClient, StrategyChoice } from '@chunkflow/client';
import type { GatedEmbedder } from './gated-embedder.ts';

/** Tags of held documents: what a gated embedder for held operations is started with. */
export const HELD_TAG = /held-[0-9a-f]+-\d+/;

export interface HeldOperation {
  operationId: string;
  /** The apply request's correlation id, which the operation's log lines carry. */
  correlationId: string;
  collectionId: string;
  documentIds: string[];
  /** The strategy and config it was applied with, for checking its chunks against a preview. */
  choice: StrategyChoice;
  /** The documents' embedder tags, in the order the operation takes them. */
  tags: string[];
  /** Lets the operation go on through every document. */
  release(): void;
}

const TOPICS = ['rivers', 'mountains', 'cities', 'forests', 'deserts', 'oceans'];

function taggedDocument(tag: string): string {
  return Array.from(
    { length: 8 },
    (_, i) => `Sentence ${i} of ${tag} is about ${TOPICS[i % TOPICS.length]} and little else.`,
  ).join(' ');
}

/**
 * A semantic operation over two documents that stops inside the second: the embedder answers the
 * first and holds the second, so the operation is processing, with `started` and the first
 * `document_completed` published, until `release()`. Resolves once it is held there with the
 * first document written.
 */
export async function startHeldOperation(
  client: ChunkflowClient,
  embedder: GatedEmbedder,
): Promise<HeldOperation> {
  const name = `held-${randomBytes(4).toString('hex')}`;
  const [first, held] = [`${name}-1`, `${name}-2`];
  const tags = [first, held];
  embedder.release(first);
  const collection = await client.collections.create.mutate({ name });
  const documentIds: string[] = [];
  for (const tag of tags) {
    const document = await client.documents.create.mutate({
      collectionId: collection.id,
      name: tag,
      content: taggedDocument(tag),
    });
    documentIds.push(document.id);
  }
  const choice: StrategyChoice = {
    strategy: 'semantic',
    config: { embedder: { provider: 'openai', baseUrl: embedder.baseUrl, model: 'gated', maxRetries: 0 } },
  };
  const { operationId, correlationId } = await client.chunking.applyToCollection.mutate({
    collectionId: collection.id,
    ...choice,
  });
  await embedder.asked(held);
  // Documents are chunked ahead of the writer: the second is asked about while the first may
  // still be on its way to the database.
  while ((await client.operations.get.query({ id: operationId })).documentsDone < 1) await delay(50);
  return {
    operationId,
    correlationId,
    collectionId: collection.id,
    documentIds,
    choice,
    tags,
    release: () => {
      for (const tag of tags) embedder.release(tag);
    },
  };
}
