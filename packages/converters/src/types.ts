import type { OutlineHeading } from '@chunkflow/chunkers';

/** The formats taken: each converts to text the chunkers read, markdown where it has structure. */
export type SourceFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'text';

/** A heading of the converted text: its level (1–6), its words, and where its line starts. */
export type Heading = OutlineHeading;

/**
 * Where each part of the converted text came from. `pageStarts[i]` is the offset at which page
 * `i + 1` begins (ascending, first 0): paged formats only. Offsets are JS string indices into `text`.
 */
export interface Provenance {
  pageStarts?: number[];
  headings: Heading[];
}

export interface ConvertedDocument {
  /** What every chunking strategy reads: markdown for structured sources, the text itself otherwise. */
  text: string;
  format: SourceFormat;
  /** The source's media type, e.g. `application/pdf` (a text upload keeps the type it declared). */
  contentType: string;
  /** Pages of a paged source; null for the others. */
  pageCount: number | null;
  provenance: Provenance;
}

export interface ConversionInput {
  bytes: Uint8Array;
  /** The declared media type without parameters; absent or `application/octet-stream` is detected. */
  contentType?: string | undefined;
  /** The file name, used to tell a type when neither the header nor the bytes do. */
  name?: string | undefined;
}

/** What one conversion may spend; past any of these the file is refused as INVALID_DOCUMENT. */
export interface ConversionLimits {
  maxPages: number;
  /** Characters of text a PDF, DOCX or HTML file may convert to. */
  maxOutputChars: number;
  /** Bytes a DOCX (a zip) may declare its parts to inflate to, and the ratio to its size. */
  maxInflatedBytes: number;
  maxCompressionRatio: number;
  /** Element nesting an HTML or DOCX document may have. */
  maxNestingDepth: number;
}

export const DEFAULT_CONVERSION_LIMITS: ConversionLimits = {
  maxPages: 5_000,
  maxOutputChars: 20_000_000,
  maxInflatedBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxNestingDepth: 512,
};
