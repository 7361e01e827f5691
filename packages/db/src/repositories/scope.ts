import { NotFoundError } from '@chunkflow/errors';
import { isId } from '../ids.ts';
import type { ReadClient } from '../prisma-client.ts';

/** Throws NotFoundError unless the tenant owns the collection (another tenant's id included). */
export async function requireCollection(
  prisma: Pick<ReadClient, 'collection'>,
  tenantId: string,
  collectionId: string,
): Promise<void> {
  const found =
    isId(collectionId) &&
    (await prisma.collection.findFirst({ where: { id: collectionId, tenantId }, select: { id: true } }));
  if (!found) throw new NotFoundError('Collection', collectionId);
}
