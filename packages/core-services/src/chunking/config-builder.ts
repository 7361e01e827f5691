import { type ChunkingConfig, normalizeConfig } from '@chunkflow/chunkers';

/**
 * Builds the engine's normalised config from what a client sent (strategy name or alias plus
 * optional parameters). Invalid input raises INVALID_CONFIG naming the field.
 */
export class ConfigBuilder {
  build(strategy: string, parameters: Record<string, unknown> = {}): ChunkingConfig {
    return normalizeConfig({ ...parameters, strategy });
  }
}
