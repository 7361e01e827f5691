import { InvalidConfigError } from '@chunkflow/errors';
import { chunkNormalizedAsync } from '../chunk.ts';
import type { NormalizedConfig } from '../config.ts';
import { MIN_CHUNK_SIZE } from '../options.ts';
import { countTokens } from '../sizing/index.ts';
import { joinsAtLineBreak } from '../sizing/line-join.ts';
import type { ChunkAsyncOptions, CommonConfig } from '../strategy.ts';
import type { Chunk, EmbeddableChunk, TokenizerName } from '../types.ts';
import { embedHeader } from './embed-header.ts';
import { HeadingOutline, type OutlineHeading } from './outline.ts';
import { findTables, tableHeaderAt } from './tables.ts';

/** What a document tells its chunks' context headers beyond their own metadata. */
export interface EmbedContext {
  /** The document's title (or name), the first line of every chunk's context header. */
  title?: string | undefined;
  /**
   * The document's headings found when it was converted (a PDF's, a DOCX's, an HTML page's): a
   * chunk whose strategy gave it no heading path is headed with the path enclosing its start.
   */
  outline?: readonly OutlineHeading[] | undefined;
}

export interface EmbedOptions extends ChunkAsyncOptions, EmbedContext {}

/** Re-chunkings `embedSizeLimit: "embedText"` may take to make room for the headers. */
const MAX_FITTING_ROUNDS = 6;

/**
 * Exact token count of `header + chunk.content`: the header's count (once per distinct header,
 * chunks share a few) plus the chunk's own where the join cannot merge tokens, else a full count.
 */
function embedTokenCounter(tokenizer: TokenizerName): (header: string, chunk: Chunk) => number {
  const headerCounts = new Map<string, number>();
  return (header, chunk) => {
    if (header === '') return chunk.tokenCount;
    if (!joinsAtLineBreak(header, chunk.content, tokenizer))
      return countTokens(header + chunk.content, tokenizer);
    let headerCount = headerCounts.get(header);
    if (headerCount === undefined) {
      headerCount = countTokens(header, tokenizer);
      headerCounts.set(header, headerCount);
    }
    return headerCount + chunk.tokenCount;
  };
}

/**
 * Adds `embedText` (context header + exact content) and its exact token count to each chunk,
 * from the content's count where the header joins it cleanly (see joinsAtLineBreak).
 */
export function withEmbedText(
  text: string,
  chunks: readonly Chunk[],
  config: Pick<CommonConfig, 'embedTemplate' | 'tokenizer'>,
  { title, outline }: EmbedContext = {},
): EmbeddableChunk[] {
  const template = config.embedTemplate ?? 'title-headings';
  const tables = template === 'none' ? [] : findTables(text);
  const converted = outline && outline.length > 0 ? new HeadingOutline(outline) : undefined;
  const embedTokenCount = embedTokenCounter(config.tokenizer);
  // Chunks with no heading path and no table header (every chunk, for most strategies) share one.
  const plainHeader = embedHeader(template, { title, headings: [] });
  return chunks.map((chunk) => {
    const own = chunk.metadata.headings;
    const headings = Array.isArray(own) ? own : (converted?.pathAt(chunk.startOffset) ?? []);
    const tableHeader = tableHeaderAt(tables, chunk.startOffset);
    const header =
      headings.length === 0 && tableHeader === undefined
        ? plainHeader
        : embedHeader(template, { title, headings, tableHeader });
    // Field by field, one shape for every chunk: a spread copies a chars-sized chunk's getter generically.
    return {
      index: chunk.index,
      content: chunk.content,
      startOffset: chunk.startOffset,
      endOffset: chunk.endOffset,
      charCount: chunk.charCount,
      tokenCount: chunk.tokenCount,
      metadata: chunk.metadata,
      embedText: header + chunk.content,
      embedTokenCount: embedTokenCount(header, chunk),
    };
  });
}

function embedSize(chunk: EmbeddableChunk, config: CommonConfig): number {
  return config.sizeUnit === 'tokens' ? chunk.embedTokenCount : chunk.embedText.length;
}

/** What the header adds to a chunk's size (in tokens, where the join may merge, about that). */
function headerCost(chunk: EmbeddableChunk, config: CommonConfig): number {
  return embedSize(chunk, config) - (config.sizeUnit === 'tokens' ? chunk.tokenCount : chunk.content.length);
}

/** A copy of `config` cutting to `chunkSize`, overlap and minimum clamped below it. */
function resized(config: NormalizedConfig, chunkSize: number): NormalizedConfig {
  if (chunkSize < MIN_CHUNK_SIZE) {
    throw new InvalidConfigError(
      `The context headers leave no room for content within chunkSize ${config.chunkSize}; use a larger chunkSize or embedTemplate "none"`,
      'embedSizeLimit',
    );
  }
  return {
    ...config,
    chunkSize,
    chunkOverlap: Math.min(config.chunkOverlap, chunkSize - 1),
    minChunkSize: Math.min(config.minChunkSize ?? 0, chunkSize - 1),
  };
}

/**
 * Chunks a document for retrieval: the engine's chunks with their `embedText`. With
 * `embedSizeLimit: "embedText"` the size bounds the whole embedText: the content is cut again to
 * the room the largest header leaves, until every header and content fit together (headers do
 * not grow as chunks shrink, but for split tables, so this settles in a round or two).
 */
export async function chunkForEmbedding(
  text: string,
  config: NormalizedConfig,
  options: EmbedOptions = {},
): Promise<EmbeddableChunk[]> {
  const { title, outline, ...engineOptions } = options;
  const context = { title, outline };
  if (config.embedSizeLimit !== 'embedText' || config.embedTemplate === 'none') {
    return withEmbedText(text, await chunkNormalizedAsync(text, config, engineOptions), config, context);
  }
  let size = config.chunkSize;
  for (let round = 0; round < MAX_FITTING_ROUNDS; round++) {
    const sized = size === config.chunkSize ? config : resized(config, size);
    const chunks = withEmbedText(
      text,
      await chunkNormalizedAsync(text, sized, engineOptions),
      config,
      context,
    );
    // Each chunk too large needs content no larger than the size less its own header: cut to the
    // smallest such room (below the size just used, so each round cuts smaller).
    let next = size;
    for (const chunk of chunks) {
      if (embedSize(chunk, config) > config.chunkSize) {
        next = Math.min(next, size - 1, config.chunkSize - headerCost(chunk, config));
      }
    }
    if (next === size) return chunks;
    size = next;
  }
  throw new InvalidConfigError(
    `Could not fit the context headers within chunkSize ${config.chunkSize}; use a larger chunkSize`,
    'embedSizeLimit',
  );
}
