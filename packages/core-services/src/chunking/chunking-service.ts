import { createHash } from 'node:crypto';
import {
  BPE_TOKENIZERS,
  type ChunkingConfig,
  type ChunkMetrics,
  type EmbeddableChunk,
  ENGINE_VERSION,
  hfTokenizerNames,
  listStrategies,
  type NormalizedConfig,
  type Recommendation,
  type StrategyInfo,
  strategyOptionsSchema,
} from '@chunkflow/chunkers';
import { ApplicationError, currentCorrelationId, NotCachedError, NotFoundError } from '@chunkflow/errors';
import { z } from 'zod';
import { citationsOf, citedChunks, outlineOf } from '../documents/chunk-citations.ts';
import type { AuthenticatedTenant } from '../ports.ts';
import { type DocumentContext, withDocumentMetadata } from './chunk-output.ts';
import { recommendFrom, type StrategyScore, sampleChunksOf, scoreChunking } from './comparison.ts';
import type { ConfigBuilder } from './config-builder.ts';
import type { DocumentSource, LoadedText, TextSource } from './document-source.ts';
import type { ChunkingExecutor } from './executor.ts';
import type { PreviewCache } from './preview-cache.ts';
import { assemblePreviewJson } from './preview-json.ts';

export interface StrategyChoice {
  strategy: string;
  config?: Record<string, unknown> | undefined;
}

export interface PreviewInput extends TextSource, StrategyChoice {
  maxChunks?: number | undefined;
}

/** A preview asked for by the SHA-256 of content the caller sent before, instead of the content. */
export interface PreviewByHashInput extends StrategyChoice {
  /** Lowercase hex SHA-256 of the content's UTF-8 bytes. */
  contentHash: string;
  maxChunks?: number | undefined;
}

/** A computed or stored preview, and whether it came from the cache. */
export interface PreviewEntry {
  preview: ComputedPreview;
  cached: boolean;
}

export interface CompareInput extends TextSource {
  strategies: StrategyChoice[];
  sampleSize?: number | undefined;
}

/** What is cached per (tenant, content, config, engine version): everything but per-request fields. */
export interface ComputedPreview {
  previewId: string;
  /** Owner: a preview id answers NOT_FOUND to every other tenant. */
  tenantId: string;
  strategy: string;
  /** As built; read back from the cache it is plain data, shown and scored but never run. */
  config: ChunkingConfig;
  chunks: EmbeddableChunk[];
  totalChunks: number;
  metrics: ChunkMetrics;
  processingTimeMs: number;
  createdAt: number;
}

export interface PreviewResult extends Omit<ComputedPreview, 'createdAt' | 'config' | 'tenantId'> {
  config: Record<string, unknown>;
  cached: boolean;
  expiresAt: Date;
  correlationId: string;
}

export interface StrategyComparison {
  strategy: string;
  config: Record<string, unknown>;
  totalChunks: number;
  sampleChunks: EmbeddableChunk[];
  metrics: ChunkMetrics;
  score: StrategyScore;
  processingTimeMs: number;
}

export interface ComparisonResult {
  results: StrategyComparison[];
  recommendation: { strategy: string; reason: string };
  contentAnalysis: { strategy: string; reason: string; confidence: number };
  correlationId: string;
}

/** The engine's recommendation as plain data (its config interfaces carry no index signature). */
export interface RecommendationResult extends Omit<Recommendation, 'config' | 'analysis'> {
  config: Record<string, unknown>;
  analysis?: Record<string, unknown>;
}

/** A strategy as `chunking.strategies` describes it, as plain data. */
export interface StrategyDescription extends Omit<StrategyInfo, 'defaultConfig'> {
  defaultConfig: Record<string, unknown>;
  /** JSON Schema (draft 2020-12) of the config keys it accepts, from the engine's zod schema. */
  parametersSchema: Record<string, unknown>;
}

export interface ChunkingLimits {
  defaultMaxChunks: number;
}

/** Preview, compare and recommend: the request-path uses of the chunking engine. */
export class ChunkingService {
  readonly #source: DocumentSource;
  readonly #configBuilder: ConfigBuilder;
  readonly #previews: PreviewCache<ComputedPreview>;
  readonly #executor: ChunkingExecutor;
  readonly #limits: ChunkingLimits;
  /** The catalogue is fixed for the life of the process: described once, on first request. */
  #strategies: StrategyDescription[] | undefined;
  #tokenizers: string[] | undefined;

  constructor(dependencies: {
    source: DocumentSource;
    configBuilder: ConfigBuilder;
    previews: PreviewCache<ComputedPreview>;
    executor: ChunkingExecutor;
    limits: ChunkingLimits;
  }) {
    this.#source = dependencies.source;
    this.#configBuilder = dependencies.configBuilder;
    this.#previews = dependencies.previews;
    this.#executor = dependencies.executor;
    this.#limits = dependencies.limits;
  }

  /** The catalog, and the tokenizers a config may name (the `hf:` ones found at first call). */
  strategies(): { strategies: StrategyDescription[]; tokenizers: string[] } {
    this.#strategies ??= listStrategies().map((info) => ({
      ...info,
      // A plain object: the engine's config interfaces carry no index signature.
      defaultConfig: { ...info.defaultConfig },
      parametersSchema: z.toJSONSchema(strategyOptionsSchema(info.name), { io: 'input' }),
    }));
    this.#tokenizers ??= [...BPE_TOKENIZERS, ...hfTokenizerNames()];
    return { strategies: this.#strategies, tokenizers: this.#tokenizers };
  }

  /** Content analysis runs where the executor puts it (a worker thread for any content). */
  async recommend(
    input: { fileType?: string | undefined; content?: string | undefined },
    signal?: AbortSignal,
  ): Promise<RecommendationResult> {
    const recommendation = await this.#executor.recommend(
      {
        ...(input.fileType === undefined ? {} : { fileType: input.fileType }),
        ...(input.content === undefined ? {} : { content: input.content }),
      },
      { signal },
    );
    const { analysis, ...rest } = recommendation;
    return { ...rest, config: { ...rest.config }, ...(analysis ? { analysis: { ...analysis } } : {}) };
  }

  /** `signal`: the request's deadline; when it fires the chunking is abandoned. */
  async preview(
    tenant: AuthenticatedTenant,
    input: PreviewInput,
    signal?: AbortSignal,
  ): Promise<PreviewResult> {
    const { preview, cached } = await this.previewEntry(tenant, input, signal);
    return this.present(preview, cached, input.maxChunks);
  }

  /**
   * The preview of `input` as computed (or read from the cache), before it is presented: what a
   * transport that keeps each preview's serialised answer needs to find it again.
   */
  async previewEntry(
    tenant: AuthenticatedTenant,
    input: PreviewInput,
    signal?: AbortSignal,
  ): Promise<PreviewEntry> {
    const config = this.#configBuilder.build(input.strategy, input.config);
    const loaded = await this.#source.load(tenant, input);
    const inline = input.content !== undefined;
    const { value, cached } = await this.#previewOf(tenant, loaded, config, signal, inline);
    return { preview: value, cached };
  }

  async getPreview(
    tenant: AuthenticatedTenant,
    input: { previewId: string; maxChunks?: number | undefined },
  ): Promise<PreviewResult> {
    return this.present(await this.storedPreview(tenant, input.previewId), true, input.maxChunks);
  }

  /** A cached preview of this tenant by id; NOT_FOUND when absent, expired or another tenant's. */
  async storedPreview(tenant: AuthenticatedTenant, previewId: string): Promise<ComputedPreview> {
    const stored = await this.#previews.peek(previewId);
    if (stored?.tenantId !== tenant.id) {
      throw new NotFoundError('Preview', previewId);
    }
    return stored;
  }

  async previewByHash(tenant: AuthenticatedTenant, input: PreviewByHashInput): Promise<PreviewResult> {
    return this.present(await this.storedPreviewByHash(tenant, input), true, input.maxChunks);
  }

  /**
   * The cached preview of content this tenant sent before, found by the content's SHA-256 and the
   * strategy and config: no content travels. NOT_CACHED when there is none (the caller then sends
   * the content). Only inline content has such an entry: a stored document is previewed by id.
   */
  async storedPreviewByHash(
    tenant: AuthenticatedTenant,
    input: PreviewByHashInput,
  ): Promise<ComputedPreview> {
    const config = this.#configBuilder.build(input.strategy, input.config);
    const previewId = await this.#previews.resolve(contentAliasOf(tenant, input.contentHash, config));
    const stored = await this.#previews.lookup(previewId);
    if (stored?.tenantId !== tenant.id) throw new NotCachedError(input.contentHash);
    return stored;
  }

  async deletePreview(tenant: AuthenticatedTenant, previewId: string): Promise<{ deleted: true }> {
    const stored = await this.#previews.peek(previewId);
    if (stored?.tenantId !== tenant.id) throw new NotFoundError('Preview', previewId);
    await this.#previews.remove(previewId);
    return { deleted: true };
  }

  /** Each strategy's chunking is a preview, so comparisons and previews of a document share the cache. */
  async compare(
    tenant: AuthenticatedTenant,
    input: CompareInput,
    signal?: AbortSignal,
  ): Promise<ComparisonResult> {
    const configs = input.strategies.map((choice) =>
      this.#configBuilder.build(choice.strategy, choice.config),
    );
    const loaded = await this.#source.load(tenant, input);
    const sampleSize = input.sampleSize ?? 3;
    const [analysis, previews] = await Promise.all([
      this.recommend({ content: loaded.text }, signal),
      Promise.all(
        configs.map((config) => this.#previewOf(tenant, loaded, config, signal).then(({ value }) => value)),
      ),
    ]);
    const results = previews.map(
      (preview): StrategyComparison => ({
        strategy: preview.strategy,
        config: { ...preview.config },
        totalChunks: preview.totalChunks,
        sampleChunks: sampleChunksOf(preview.chunks, sampleSize),
        metrics: preview.metrics,
        score: scoreChunking(preview.metrics, preview.config),
        processingTimeMs: preview.processingTimeMs,
      }),
    );
    return {
      results,
      recommendation: recommendFrom(results),
      contentAnalysis: {
        strategy: analysis.strategy,
        reason: analysis.reason,
        confidence: analysis.confidence,
      },
      correlationId: currentCorrelationId() ?? 'none',
    };
  }

  async #previewOf(
    tenant: AuthenticatedTenant,
    loaded: LoadedText,
    config: NormalizedConfig,
    signal: AbortSignal | undefined,
    inline = false,
  ) {
    const previewId = previewIdOf(tenant, loaded, config);
    const compute = () =>
      this.#previews.getOrCompute(previewId, async () => {
        const preview = await this.#computePreview(tenant, previewId, loaded, config, signal);
        // Content sent inline can be asked for again by its hash (storedPreviewByHash). Sent, not
        // waited for: as the preview's own write (ReadThroughCache.getOrLoad).
        if (inline) {
          void this.#previews.alias(contentAliasOf(tenant, contentHashOf(loaded.text), config), previewId);
        }
        return preview;
      });
    try {
      return await compute();
    } catch (error) {
      // Joined an identical computation that its own request abandoned: compute it for this one.
      if (signal?.aborted || !isAbandonment(error)) throw error;
      return compute();
    }
  }

  async #computePreview(
    tenant: AuthenticatedTenant,
    previewId: string,
    { text, context, provenance }: LoadedText,
    config: NormalizedConfig,
    signal: AbortSignal | undefined,
  ): Promise<ComputedPreview> {
    const started = performance.now();
    const { chunks, metrics, chunksJson } = await this.#executor.run(text, config, {
      signal,
      title: context.title,
      outline: outlineOf(provenance),
    });
    const shown = withContextMetadata(citedChunks(chunks, citationsOf(provenance)), context);
    const preview: ComputedPreview = {
      previewId,
      tenantId: tenant.id,
      strategy: config.strategy,
      config,
      chunks: shown,
      totalChunks: chunks.length,
      metrics,
      processingTimeMs: performance.now() - started,
      createdAt: Date.now(),
    };
    // The thread's JSON is of the chunks it made: usable unless citations or metadata were added.
    if (chunksJson !== undefined && shown === chunks) assemblePreviewJson(preview, chunksJson);
    return preview;
  }

  /** How many chunks an answer shows when `maxChunks` is asked for (or not). */
  chunksShown(preview: ComputedPreview, maxChunks: number | undefined): number {
    return Math.min(preview.chunks.length, maxChunks ?? this.#limits.defaultMaxChunks);
  }

  /** A preview as the API answers it: its first chunks, when it expires, the request's id. */
  present(value: ComputedPreview, cached: boolean, maxChunks: number | undefined): PreviewResult {
    return {
      previewId: value.previewId,
      strategy: value.strategy,
      config: { ...value.config },
      chunks: value.chunks.slice(0, this.chunksShown(value, maxChunks)),
      totalChunks: value.totalChunks,
      metrics: value.metrics,
      processingTimeMs: value.processingTimeMs,
      cached,
      expiresAt: new Date(value.createdAt + this.#previews.ttlSeconds * 1000),
      correlationId: currentCorrelationId() ?? 'none',
    };
  }
}

/** What a computation abandoned by its request's deadline or departure rejects with. */
function isAbandonment(error: unknown): boolean {
  if (error instanceof DOMException) return error.name === 'AbortError';
  return (
    error instanceof ApplicationError && (error.code === 'BUDGET_EXCEEDED' || error.code === 'CANCELLED')
  );
}

/** A stored document's metadata carried to each of its previewed chunks. */
function withContextMetadata(chunks: EmbeddableChunk[], context: DocumentContext): EmbeddableChunk[] {
  if (context.metadata === undefined || Object.keys(context.metadata).length === 0) return chunks;
  return chunks.map((chunk) => ({
    ...chunk,
    metadata: withDocumentMetadata(chunk.metadata, context.metadata),
  }));
}

/**
 * What names the preview of inline content by the content's hash: the same tenant, content hash,
 * normalised config and engine version as its id, so it names one preview id for ever.
 */
function contentAliasOf(tenant: AuthenticatedTenant, contentHash: string, config: NormalizedConfig): string {
  return createHash('sha256')
    .update(`${ENGINE_VERSION}\0${tenant.id}\0${JSON.stringify(config)}\0${contentHash}`)
    .digest('hex')
    .slice(0, 32);
}

/** Lowercase hex SHA-256 of a text's UTF-8 bytes: what a client sends to preview it again by hash. */
export function contentHashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Content-addressed and tenant-scoped: the same tenant, text, document context, normalised config
 * and engine version give the same id (128 bits of SHA-256, so ids are unguessable without the text).
 */
function previewIdOf(
  tenant: AuthenticatedTenant,
  { text, context, provenance }: LoadedText,
  config: NormalizedConfig,
): string {
  return createHash('sha256')
    .update(`${ENGINE_VERSION}\0${tenant.id}\0${JSON.stringify(config)}\0${JSON.stringify(context)}\0`)
    .update(text)
    .update(provenance ? `\0${JSON.stringify(provenance)}` : '')
    .digest('hex')
    .slice(0, 32);
}

/** Per chunk beyond its content: offsets, counts, metadata and JSON punctuation. */
const CHUNK_JSON_OVERHEAD_BYTES = 200;

/** A preview's JSON size, estimated without serialising it (the cache's size cap reads it). */
export function previewJsonBytes(preview: ComputedPreview): number {
  let bytes = 1_000;
  for (const chunk of preview.chunks)
    bytes += chunk.content.length + chunk.embedText.length + CHUNK_JSON_OVERHEAD_BYTES;
  return bytes;
}
