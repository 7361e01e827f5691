import type { Database, Page, StoredChunk } from '@chunkflow/db';
import { NotFoundError } from '@chunkflow/errors';
import type { AuthenticatedTenant } from '../ports.ts';
import { type ExportInput, exportLines } from './chunk-export.ts';

export interface ListChunksInput {
  collectionId: string;
  documentId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Stored chunks, in document then chunk order, one index range scan per page. */
export class ChunkService {
  readonly #database: Database;
  readonly #exportTimeoutMs: number;

  /** `exportTimeoutMs`: how long one export may stream (EXPORT_TIMEOUT_MS). */
  constructor(database: Database, exportTimeoutMs: number) {
    this.#database = database;
    this.#exportTimeoutMs = exportTimeoutMs;
  }

  list(tenant: AuthenticatedTenant, input: ListChunksInput): Promise<Page<StoredChunk>> {
    const { collectionId, documentId, cursor, limit } = input;
    return this.#database.chunks.list(
      tenant.id,
      { collectionId, ...(documentId ? { documentId } : {}) },
      { ...(cursor ? { cursor } : {}), limit },
    );
  }

  /**
   * The collection's stored chunks as NDJSON (see `exportLines`): NOT_FOUND for a collection the
   * tenant does not have, VALIDATION_ERROR for ids that are not UUIDs, before any line;
   * BUDGET_EXCEEDED from the iteration once it has streamed longer than its time budget.
   */
  export(tenant: AuthenticatedTenant, input: ExportInput): Promise<AsyncGenerator<string>> {
    return exportLines(this.#database.chunks.exportBatches(tenant.id, input), this.#exportTimeoutMs);
  }

  async get(tenant: AuthenticatedTenant, id: string): Promise<StoredChunk> {
    const chunk = await this.#database.chunks.get(tenant.id, id);
    if (!chunk) throw new NotFoundError('Chunk', id);
    return chunk;
  }
}
