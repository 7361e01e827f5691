import { randomBytes } from 'node:crypto';
import type { ChunkflowClient } from '@chunkflow/client';
import type { GatedEmbedder } from './gated-embedder.ts';

/** Tags of held documents: what a gated embedder for held operations is started with. */
export const HELD_TAG = /held-[0-9a-f]+-\d+/;

export interface HeldOperation {
  operationId: string;
  collectionId: string;
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
 * `document_completed` published, until `release()`. Resolves once it is held there.
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
  for (const tag of tags) {
    await client.documents.create.mutate({
      collectionId: collection.id,
      name: tag,
      content: taggedDocument(tag),
    });
  }
  const { operationId } = await client.chunking.applyToCollection.mutate({
    collectionId: collection.id,
    strategy: 'semantic',
    config: { embedder: { provider: 'openai', baseUrl: embedder.baseUrl, model: 'gated', maxRetries: 0 } },
  });
  await embedder.asked(held);
  return {
    operationId,
    collectionId: collection.id,
    tags,
    release: () => {
      for (const tag of tags) embedder.release(tag);
    },
  };
}
