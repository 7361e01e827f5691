import type { Collection, Database, JsonObject } from '@chunkflow/db';
import { NotFoundError } from '@chunkflow/errors';
import type { Tenant } from '../ports.ts';

export interface CreateCollectionInput {
  name: string;
  description?: string | undefined;
  metadata?: JsonObject | undefined;
}

export class CollectionService {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  create(tenant: Tenant, input: CreateCollectionInput): Promise<Collection> {
    return this.#database.collections.create(tenant.id, input);
  }

  /** Another tenant's collection answers NOT_FOUND, exactly like a missing one. */
  async get(tenant: Tenant, id: string): Promise<Collection> {
    const collection = await this.#database.collections.get(tenant.id, id);
    if (!collection) throw new NotFoundError('Collection', id);
    return collection;
  }
}
