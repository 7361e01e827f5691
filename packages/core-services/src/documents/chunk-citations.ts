import type { Chunk } from '@chunkflow/chunkers';
import { type Heading, type Provenance, ProvenanceIndex } from '@chunkflow/converters';
import type { JsonObject, NewChunk } from '@chunkflow/db';

/** The pages and heading path a chunk cites, computed from its offsets; undefined for plain text. */
export type Citations = (metadata: JsonObject, startOffset: number, endOffset: number) => JsonObject;

/**
 * From a stored provenance map: chunks of paged documents get `metadata.pages` ([first, last],
 * 1-based, inclusive), chunks of structured ones their heading path in `metadata.headings` unless
 * their strategy gave one (the markdown strategy's, limited to its configured levels, stands).
 */
export function citationsOf(provenance: JsonObject | undefined): Citations | undefined {
  const map = provenanceOf(provenance);
  if (!map) return undefined;
  const index = new ProvenanceIndex(map);
  return (metadata, startOffset, endOffset) => {
    const pages = index.pages(startOffset, endOffset);
    return {
      ...metadata,
      ...(pages ? { pages } : {}),
      ...(index.hasHeadings && metadata.headings === undefined
        ? { headings: index.headingPath(startOffset) }
        : {}),
    };
  };
}

/** The chunks with their citations (the same array when there are none). */
export function citedChunks<Cited extends Chunk>(chunks: Cited[], citations: Citations | undefined): Cited[] {
  if (!citations) return chunks;
  return chunks.map((chunk) => ({
    ...chunk,
    metadata: citations(
      chunk.metadata as JsonObject,
      chunk.startOffset,
      chunk.endOffset,
    ) as Chunk['metadata'],
  }));
}

/** Stored rows with their citations, one at a time as the writer asks for them. */
export function* citedRows(rows: Iterable<NewChunk>, citations: Citations | undefined): Generator<NewChunk> {
  for (const row of rows) {
    yield citations
      ? { ...row, metadata: citations(row.metadata ?? {}, row.startOffset, row.endOffset) }
      : row;
  }
}

/**
 * The headings a conversion found, for the chunks' embedText headers: the same heading path
 * `citationsOf` gives a chunk whose strategy has none of its own.
 */
export function outlineOf(provenance: JsonObject | undefined): Heading[] | undefined {
  return provenanceOf(provenance)?.headings;
}

/** The provenance this service stored, or undefined when it has neither pages nor headings. */
function provenanceOf(value: JsonObject | undefined): Provenance | undefined {
  const pageStarts = Array.isArray(value?.pageStarts) ? (value.pageStarts as number[]) : undefined;
  const headings = Array.isArray(value?.headings) ? (value.headings as unknown as Heading[]) : [];
  if (!pageStarts && headings.length === 0) return undefined;
  return { ...(pageStarts ? { pageStarts } : {}), headings };
}
