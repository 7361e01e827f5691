import type { Database } from '../../src/index.ts';

/** An operation of the collection, processing these documents as one slice; answers its id. */
export async function processingOperation(
  db: Database,
  tenantId: string,
  collectionId: string,
  documentIds: string[],
): Promise<string> {
  const operation = await db.operations.create(tenantId, { collectionId, strategy: 'fixed', config: {} });
  await db.operations.transition(operation.id, ['pending'], 'processing', {
    documentsTotal: documentIds.length,
    documentPlan: documentIds,
    sliceProgress: [0],
  });
  return operation.id;
}
