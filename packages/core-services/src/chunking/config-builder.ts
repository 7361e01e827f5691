import { type ChunkingConfig, normalizeConfig } from '@chunkflow/chunkers';
import { InvalidConfigError } from '@chunkflow/errors';

export interface EmbedderPolicy {
  /** Base URLs of OpenAI-compatible embedders clients may name; none by default. */
  allowedBaseUrls: readonly string[];
}

/**
 * Builds the engine's normalised config from what a client sent (strategy name or alias plus
 * optional parameters). Invalid input raises INVALID_CONFIG naming the field.
 *
 * A remote embedder makes the server call a URL, so only operator-approved base URLs pass (no
 * request forgery against internal hosts), and a client's API key is refused: configs are cached
 * and saved in presets, where a secret must never end up.
 */
export class ConfigBuilder {
  readonly #allowedBaseUrls: ReadonlySet<string>;

  constructor(policy: EmbedderPolicy = { allowedBaseUrls: [] }) {
    this.#allowedBaseUrls = new Set(policy.allowedBaseUrls.map(withoutTrailingSlash));
  }

  build(strategy: string, parameters: Record<string, unknown> = {}): ChunkingConfig {
    const config = normalizeConfig({ ...parameters, strategy });
    if ('embedder' in config && config.embedder?.provider === 'openai') {
      if (config.embedder.apiKey !== undefined) {
        throw new InvalidConfigError(
          'Embedder API keys are not accepted in chunking configs',
          'embedder.apiKey',
        );
      }
      if (!this.#allowedBaseUrls.has(withoutTrailingSlash(config.embedder.baseUrl))) {
        throw new InvalidConfigError(
          'This embedder URL is not allowed; the operator lists allowed ones in EMBEDDER_ALLOWED_URLS',
          'embedder.baseUrl',
        );
      }
    }
    return config;
  }
}

function withoutTrailingSlash(url: string): string {
  return url.slice(0, url.split('').findLastIndex((character) => character !== '/') + 1);
}
