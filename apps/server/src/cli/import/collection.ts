import type { ChunkflowClient } from '@chunkflow/client';
import { TRPCClientError } from '@chunkflow/client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The collection `reference` names: its id, or its name (created when the tenant has none of that name). */
export async function resolveCollection(
  client: ChunkflowClient,
  reference: string,
): Promise<{ id: string; name: string; created: boolean }> {
  if (UUID.test(reference)) {
    const found = await client.collections.get.query({ id: reference });
    return { id: found.id, name: found.name, created: false };
  }
  let cursor: string | undefined;
  do {
    const page = await client.collections.list.query({ limit: 100, ...(cursor ? { cursor } : {}) });
    const named = page.items.find((collection) => collection.name === reference);
    if (named) return { id: named.id, name: named.name, created: false };
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  try {
    const made = await client.collections.create.mutate({ name: reference });
    return { id: made.id, name: made.name, created: true };
  } catch (error) {
    // Created by someone else meanwhile.
    if (error instanceof TRPCClientError && (error.data as { code?: string })?.code === 'CONFLICT') {
      return resolveCollection(client, reference);
    }
    throw error;
  }
}
