import type { Collection, CollectionUpdate, Database, JsonObject, Page } from '@chunkflow/db';
import { NotFoundError } from '@chunkflow/errors';
import type { AuthenticatedTenant } from '../ports.ts';
import type { StatisticsService } from '../statistics/statistics-service.ts';

export interface CreateCollectionInput {
  name: string;
  description?: string | undefined;
  metadata?: JsonObject | undefined;
}

export class CollectionService {
  readonly #database: Database;
  readonly #statistics: StatisticsService;

  constructor(database: Database, statistics: StatisticsService) {
    this.#database = database;
    this.#statistics = statistics;
  }

  create(tenant: AuthenticatedTenant, input: CreateCollectionInput): Promise<Collection> {
    return this.#database.collections.create(tenant.id, input);
  }

  /** Another tenant's collection answers NOT_FOUND, exactly like a missing one. */
  async get(tenant: AuthenticatedTenant, id: string): Promise<Collection> {
    const collection = await this.#database.collections.get(tenant.id, id);
    if (!collection) throw new NotFoundError('Collection', id);
    return collection;
  }

  list(
    tenant: AuthenticatedTenant,
    page: { cursor?: string | undefined; limit: number },
  ): Promise<Page<Collection>> {
    return this.#database.collections.list(tenant.id, {
      ...(page.cursor ? { cursor: page.cursor } : {}),
      limit: page.limit,
    });
  }

  async update(tenant: AuthenticatedTenant, id: string, changes: CollectionUpdate): Promise<Collection> {
    const collection = await this.#database.collections.update(tenant.id, id, changes);
    if (!collection) throw new NotFoundError('Collection', id);
    return collection;
  }

  /** Removes the collection with its documents, chunks and operations (and its cached statistics). */
  async delete(tenant: AuthenticatedTenant, id: string): Promise<{ id: string; deleted: true }> {
    if (!(await this.#database.collections.delete(tenant.id, id))) throw new NotFoundError('Collection', id);
    await this.#statistics.invalidate(tenant.id, id);
    return { id, deleted: true };
  }
}
