import type { ChunkflowClient } from '@chunkflow/client';
import { realDocuments } from '../test/support/documents.ts';
import {
  contiguous,
  createCollection,
  createDocuments,
  documentChunks,
  settledOperation,
} from './workflow.ts';

/** What the tenant stored before the attacks: every document and the chunk lengths it holds. */
export interface Holdings {
  collectionId: string;
  chunksByDocument: Map<string, number[]>;
}

async function chunkLengths(client: ChunkflowClient, collectionId: string, documentId: string) {
  const chunks = await documentChunks(client, collectionId, documentId);
  if (!contiguous(chunks)) throw new Error(`document ${documentId} has gaps in its chunks`);
  return chunks.sort((a, b) => a.chunkIndex - b.chunkIndex).map((chunk) => chunk.contentLength);
}

/** The repository's real documents, applied with the recursive strategy, before any attack. */
export async function storeHoldings(client: ChunkflowClient, settleWithinMs: number): Promise<Holdings> {
  const collectionId = await createCollection(client, 'hostile holdings');
  const documentIds = await createDocuments(
    client,
    collectionId,
    realDocuments().map((document) => document.content),
  );
  const { operationId } = await client.chunking.applyToCollection.mutate({
    collectionId,
    strategy: 'recursive',
  });
  const operation = await settledOperation(client, operationId, settleWithinMs);
  if (operation.status !== 'completed') throw new Error(`the holdings apply ended ${operation.status}`);
  const chunksByDocument = new Map<string, number[]>();
  for (const documentId of documentIds) {
    chunksByDocument.set(documentId, await chunkLengths(client, collectionId, documentId));
  }
  return { collectionId, chunksByDocument };
}

/** What is missing or changed since `storeHoldings`: empty when the data is intact. */
export async function holdingsLost(client: ChunkflowClient, holdings: Holdings): Promise<string[]> {
  const lost: string[] = [];
  for (const [documentId, lengths] of holdings.chunksByDocument) {
    try {
      await client.documents.get.query({ id: documentId });
      const now = await chunkLengths(client, holdings.collectionId, documentId);
      if (now.join() !== lengths.join()) lost.push(`${documentId}: ${lengths.length} chunks → ${now.length}`);
    } catch (error) {
      lost.push(`${documentId}: ${(error as Error).message}`);
    }
  }
  return lost;
}
