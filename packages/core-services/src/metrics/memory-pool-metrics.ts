import type { MemoryPoolStats } from '@chunkflow/mempool';
import type { GaugeCollector } from './gauges.ts';

type RegisterGauge = (name: string, help: string, collect: GaugeCollector, labelNames: string[]) => void;

const memoryPoolFields = [
  'usedBytes',
  'cachedBytes',
  'maxBytes',
  'peakBytes',
  'activeBuffers',
  'freeBuffers',
] as const;

/**
 * Exposes the stats of any number of MemoryPools under one metric family per field, labelled by
 * pool name: `chunkflow_mempool_used_bytes{pool="uploads"}`.
 */
export class MemoryPoolMetrics {
  readonly #pools = new Map<string, { stats(): MemoryPoolStats }>();

  constructor(registerGauge: RegisterGauge) {
    for (const field of memoryPoolFields) {
      registerGauge(
        `chunkflow_mempool_${snakeCase(field)}`,
        `MemoryPool ${field}, by pool`,
        () => [...this.#pools].map(([pool, source]) => ({ labels: { pool }, value: source.stats()[field] })),
        ['pool'],
      );
    }
  }

  /** Adds a pool (replacing one of the same name); the returned function removes it. */
  register(name: string, pool: { stats(): MemoryPoolStats }): () => void {
    this.#pools.set(name, pool);
    return () => {
      if (this.#pools.get(name) === pool) this.#pools.delete(name);
    };
  }
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
