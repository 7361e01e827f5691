import type { Database, JsonObject, Page, Preset } from '@chunkflow/db';
import { NotFoundError } from '@chunkflow/errors';
import type { ConfigBuilder } from '../chunking/config-builder.ts';
import type { AuthenticatedTenant } from '../ports.ts';

export interface PresetInput {
  name: string;
  description?: string | undefined;
  strategy: string;
  config?: Record<string, unknown> | undefined;
}

export type PresetChanges = { [K in keyof PresetInput]?: PresetInput[K] | undefined };

export type PresetView = Omit<Preset, 'tenantId'>;

/**
 * Saved chunking configs of a tenant. Stored normalised, so a preset that was valid when saved
 * runs exactly as it was previewed.
 */
export class PresetService {
  readonly #database: Database;
  readonly #configBuilder: ConfigBuilder;

  constructor(database: Database, configBuilder: ConfigBuilder) {
    this.#database = database;
    this.#configBuilder = configBuilder;
  }

  async create(tenant: AuthenticatedTenant, input: PresetInput): Promise<PresetView> {
    const { strategy, config } = this.#normalise(input.strategy, input.config);
    const preset = await this.#database.presets.create(tenant.id, {
      name: input.name,
      description: input.description ?? null,
      strategy,
      config,
    });
    return view(preset);
  }

  async get(tenant: AuthenticatedTenant, id: string): Promise<PresetView> {
    const preset = await this.#database.presets.get(tenant.id, id);
    if (!preset) throw new NotFoundError('Config preset', id);
    return view(preset);
  }

  async list(
    tenant: AuthenticatedTenant,
    page: { cursor?: string | undefined; limit?: number | undefined },
  ): Promise<Page<PresetView>> {
    const result = await this.#database.presets.list(tenant.id, {
      limit: page.limit ?? 50,
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    });
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  }

  async update(tenant: AuthenticatedTenant, id: string, changes: PresetChanges): Promise<PresetView> {
    const current = await this.get(tenant, id);
    const strategyChanged = changes.strategy !== undefined || changes.config !== undefined;
    const normalised = strategyChanged
      ? this.#normalise(changes.strategy ?? current.strategy, changes.config ?? current.config)
      : {};
    const updated = await this.#database.presets.update(tenant.id, id, {
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...normalised,
    });
    if (!updated) throw new NotFoundError('Config preset', id);
    return view(updated);
  }

  async delete(tenant: AuthenticatedTenant, id: string): Promise<{ id: string; deleted: true }> {
    if (!(await this.#database.presets.delete(tenant.id, id))) throw new NotFoundError('Config preset', id);
    return { id, deleted: true };
  }

  #normalise(strategy: string, parameters: Record<string, unknown> | undefined) {
    const { strategy: normalisedStrategy, ...config } = this.#configBuilder.build(strategy, parameters);
    // Normalised configs hold only JSON values (numbers, strings, arrays, plain objects).
    return { strategy: normalisedStrategy, config: config as unknown as JsonObject };
  }
}

function view({ tenantId: _tenantId, ...preset }: Preset): PresetView {
  return preset;
}
