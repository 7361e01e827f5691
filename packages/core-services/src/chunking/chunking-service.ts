import { createHash } from 'node:crypto';
import {
  type Chunk,
  type ChunkingConfig,
  chunk,
  computeMetrics,
  ENGINE_VERSION,
  listStrategies,
  type StrategyInfo,
} from '@chunkflow/chunkers';
import type { Database } from '@chunkflow/db';
import { currentCorrelationId, DocumentTooLargeError, NotFoundError } from '@chunkflow/errors';
import type { Tenant } from '../ports.ts';
import type { ConfigBuilder } from './config-builder.ts';
import type { PreviewCache } from './preview-cache.ts';

export interface PreviewInput {
  content?: string | undefined;
  documentId?: string | undefined;
  strategy: string;
  config?: Record<string, unknown> | undefined;
  maxChunks?: number | undefined;
}

/** What is cached per (content, config, engine version): everything but per-request fields. */
export interface ComputedPreview {
  previewId: string;
  strategy: string;
  config: ChunkingConfig;
  chunks: Chunk[];
  totalChunks: number;
  metrics: Record<string, unknown>;
  processingTimeMs: number;
  createdAt: number;
}

export interface PreviewResult extends Omit<ComputedPreview, 'createdAt' | 'config'> {
  config: Record<string, unknown>;
  cached: boolean;
  expiresAt: Date;
  correlationId: string;
}

export interface ChunkingLimits {
  maxDocumentChars: number;
  defaultMaxChunks: number;
}

export class ChunkingService {
  readonly #database: Database;
  readonly #configBuilder: ConfigBuilder;
  readonly #previews: PreviewCache<ComputedPreview>;
  readonly #limits: ChunkingLimits;

  constructor(
    database: Database,
    configBuilder: ConfigBuilder,
    previews: PreviewCache<ComputedPreview>,
    limits: ChunkingLimits,
  ) {
    this.#database = database;
    this.#configBuilder = configBuilder;
    this.#previews = previews;
    this.#limits = limits;
  }

  strategies(): {
    strategies: Array<Omit<StrategyInfo, 'defaultConfig'> & { defaultConfig: Record<string, unknown> }>;
  } {
    // Spread into plain objects: the engine's config interfaces carry no index signature.
    return {
      strategies: listStrategies().map((info) => ({ ...info, defaultConfig: { ...info.defaultConfig } })),
    };
  }

  async preview(tenant: Tenant, input: PreviewInput): Promise<PreviewResult> {
    const config = this.#configBuilder.build(input.strategy, input.config);
    const text = await this.#resolveText(tenant, input);
    if (text.length > this.#limits.maxDocumentChars) {
      throw new DocumentTooLargeError(text.length, this.#limits.maxDocumentChars, {
        details: { unit: 'chars' },
      });
    }
    const key = previewKey(text, config);
    const { value, cached } = await this.#previews.getOrCompute(key, () => computePreview(key, text, config));
    const maxChunks = input.maxChunks ?? this.#limits.defaultMaxChunks;
    return {
      previewId: value.previewId,
      strategy: value.strategy,
      config: { ...value.config },
      chunks: value.chunks.slice(0, maxChunks),
      totalChunks: value.totalChunks,
      metrics: value.metrics,
      processingTimeMs: value.processingTimeMs,
      cached,
      expiresAt: new Date(value.createdAt + this.#previews.ttlSeconds * 1000),
      correlationId: currentCorrelationId() ?? 'none',
    };
  }

  async #resolveText(tenant: Tenant, input: PreviewInput): Promise<string> {
    if (input.content !== undefined) return input.content;
    const documentId = input.documentId ?? '';
    const document = await this.#database.documents.get(tenant.id, documentId);
    if (!document) throw new NotFoundError('Document', documentId);
    return document.content;
  }
}

/** Content-addressed: the same text, normalised config and engine version share one entry. */
function previewKey(text: string, config: ChunkingConfig): string {
  return createHash('sha256')
    .update(ENGINE_VERSION)
    .update('\0')
    .update(JSON.stringify(config))
    .update('\0')
    .update(text)
    .digest('hex');
}

function computePreview(key: string, text: string, config: ChunkingConfig): ComputedPreview {
  const started = performance.now();
  const chunks = chunk(text, config);
  const processingTimeMs = performance.now() - started;
  return {
    previewId: key.slice(0, 32),
    strategy: config.strategy,
    config,
    chunks,
    totalChunks: chunks.length,
    metrics: { ...computeMetrics(text, chunks) },
    processingTimeMs,
    createdAt: Date.now(),
  };
}
