import type { StrategyName } from '../src/index.ts';

/** The benchmark's token-sized config of `strategy`: 256/32 cl100k tokens, a 1024 → 256 hierarchy. */
export function tokenConfig(strategy: StrategyName): object {
  const size = strategy === 'hierarchical' ? { levels: [1024, 256] } : { chunkSize: 256 };
  return { strategy, sizeUnit: 'tokens', tokenizer: 'cl100k_base', chunkOverlap: 32, ...size };
}
