import {
  type EmbedderSpec,
  type NormalizedConfig,
  normalizeConfig,
  withoutTrailingSlashes,
} from '@chunkflow/chunkers';
import { InvalidConfigError } from '@chunkflow/errors';
import { LRUCache } from 'lru-cache';
import { configKeyOf } from './config-key.ts';

/**
 * What the server lets a client's embedder settings cost. Retries, timeout and batch size change
 * what a request costs, not its chunks: they are clamped (the normalised config shows the values
 * used). Hashing dimensions change the chunks: more than allowed is refused.
 */
export interface EmbedderLimits {
  maxRetries: number;
  maxTimeoutMs: number;
  /** Texts per embedding call at least: a batch of 1 would turn a document into thousands of calls. */
  minBatchSize: number;
  maxHashingDimensions: number;
}

export const DEFAULT_EMBEDDER_LIMITS: EmbedderLimits = {
  maxRetries: 2,
  maxTimeoutMs: 30_000,
  minBatchSize: 16,
  maxHashingDimensions: 1024,
};

/** Distinct configs whose normalised form is kept: clients send a handful, each a few hundred bytes. */
const MAX_BUILT_CONFIGS = 1_000;

export interface EmbedderPolicy {
  /** Base URLs of OpenAI-compatible embedders clients may name; none by default. */
  allowedBaseUrls: readonly string[];
  limits?: Partial<EmbedderLimits> | undefined;
}

/**
 * Builds the engine's normalised config from what a client sent (strategy name or alias plus
 * optional parameters). Invalid input raises INVALID_CONFIG naming the field. This is where a
 * config is normalised on its way to the engine: the services pass what it returns down as it is.
 *
 * A remote embedder makes the server call a URL, so only operator-approved base URLs pass (no
 * request forgery against internal hosts), and a client's API key is refused: configs are cached
 * and saved in presets, where a secret must never end up. Its cost settings are capped by the
 * server's EmbedderLimits.
 *
 * What it builds is kept by the exact input (see configKeyOf), frozen, and handed out again: every
 * preview validates its config, and the schema's parse cost a cache hit more than the rest of its
 * service work. Refusals are not kept: they are made again each time.
 */
export class ConfigBuilder {
  readonly #allowedBaseUrls: ReadonlySet<string>;
  readonly #limits: EmbedderLimits;
  readonly #built = new LRUCache<string, NormalizedConfig>({ max: MAX_BUILT_CONFIGS });

  constructor(policy: EmbedderPolicy = { allowedBaseUrls: [] }) {
    this.#allowedBaseUrls = new Set(policy.allowedBaseUrls.map(withoutTrailingSlashes));
    this.#limits = { ...DEFAULT_EMBEDDER_LIMITS, ...policy.limits };
  }

  build(strategy: string, parameters: Record<string, unknown> = {}): NormalizedConfig {
    const key = configKeyOf(strategy, parameters);
    const kept = key === undefined ? undefined : this.#built.get(key);
    if (kept) return kept;
    const config = deepFrozen(this.#normalized(strategy, parameters));
    if (key !== undefined) this.#built.set(key, config);
    return config;
  }

  #normalized(strategy: string, parameters: Record<string, unknown>): NormalizedConfig {
    const config = normalizeConfig({ ...parameters, strategy });
    if (!('embedder' in config) || config.embedder === undefined) return config;
    // Still normalised: the policy only lowers cost settings within the engine's bounds, and the
    // embedder keeps its place among the keys (a preview id hashes them in order).
    return { ...config, embedder: this.#withinPolicy(config.embedder) };
  }

  #withinPolicy(embedder: EmbedderSpec): EmbedderSpec {
    const limits = this.#limits;
    if (embedder.provider === 'hashing') {
      if ((embedder.dimensions ?? 0) > limits.maxHashingDimensions) {
        throw new InvalidConfigError(
          `The hashing embedder takes at most ${limits.maxHashingDimensions} dimensions`,
          'embedder.dimensions',
          { details: { limit: limits.maxHashingDimensions } },
        );
      }
      return embedder;
    }
    if (embedder.apiKey !== undefined) {
      throw new InvalidConfigError(
        'Embedder API keys are not accepted in chunking configs',
        'embedder.apiKey',
      );
    }
    if (!this.#allowedBaseUrls.has(withoutTrailingSlashes(embedder.baseUrl))) {
      throw new InvalidConfigError(
        'This embedder URL is not allowed; the operator lists allowed ones in EMBEDDER_ALLOWED_URLS',
        'embedder.baseUrl',
      );
    }
    return {
      ...embedder,
      maxRetries: Math.min(embedder.maxRetries ?? limits.maxRetries, limits.maxRetries),
      timeoutMs: Math.min(embedder.timeoutMs ?? limits.maxTimeoutMs, limits.maxTimeoutMs),
      // Unset, the embedder's own default (64) applies.
      ...(embedder.batchSize === undefined
        ? {}
        : { batchSize: Math.max(embedder.batchSize, limits.minBatchSize) }),
    };
  }
}

/** Shared between requests, so no caller can change it for the next one. */
function deepFrozen<Value>(value: Value): Value {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFrozen(child);
  }
  return value;
}
