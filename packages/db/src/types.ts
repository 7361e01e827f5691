/**
 * Plain domain types the repositories take and return. Callers never see Prisma's generated
 * types, so the ORM stays an implementation detail of this package.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ApiKeyOwner {
  tenantId: string;
  apiKeyId: string;
}

export interface Collection {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  metadata: JsonObject;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCollection {
  name: string;
  description?: string | null | undefined;
  metadata?: JsonObject | undefined;
}

export type CollectionUpdate = { [K in keyof NewCollection]?: NewCollection[K] | undefined };

/** A document without its content: what listings return. */
export interface DocumentSummary {
  id: string;
  tenantId: string;
  collectionId: string;
  name: string;
  contentType: string;
  contentHash: string;
  sizeBytes: number;
  charCount: number;
  metadata: JsonObject;
  /** Pages of a paged source (PDF); null otherwise. */
  pageCount: number | null;
  /** SHA-256 hex and bytes of the file as uploaded (null for documents stored before they were kept). */
  sourceHash: string | null;
  sourceBytes: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Document extends DocumentSummary {
  content: string;
  /** Offsets of the content to pages and headings (`pageStarts`, `headings`); `{}` for none. */
  provenance: JsonObject;
}

/** What a document was converted from; a document given as text is its own source. */
export interface SourceFile {
  sha256: string;
  bytes: number;
  pageCount: number | null;
  provenance: JsonObject;
}

export interface NewDocument {
  name: string;
  contentType: string;
  content: string;
  metadata?: JsonObject;
  source?: SourceFile;
}

/** What became of one document of a batch: stored, or its content held already by another. */
export type StoredDocument =
  | { status: 'created'; document: DocumentSummary }
  | { status: 'duplicate'; existingDocumentId: string };

export const operationStatuses = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type OperationStatus = (typeof operationStatuses)[number];

export interface Operation {
  id: string;
  tenantId: string;
  collectionId: string;
  type: string;
  status: OperationStatus;
  strategy: string;
  config: JsonObject;
  /** Documents the operation is limited to; empty means the whole collection. */
  documentIds: string[];
  documentsTotal: number;
  documentsDone: number;
  chunksCreated: number;
  error: JsonValue | null;
  correlationId: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  processingMs: number | null;
}

export interface NewOperation {
  collectionId: string;
  type?: string;
  strategy: string;
  config: JsonObject;
  documentIds?: string[];
  documentsTotal?: number;
  correlationId?: string | null;
}

/**
 * Fields a status transition may set together with the status. `startedAt`, `completedAt` and
 * `processingMs` are set by the transition itself, from the database clock.
 */
export interface OperationTransitionPatch {
  documentsTotal?: number;
  /** The documents the operation works through (set when it starts). */
  documentPlan?: string[];
  /** Finished documents of each slice of the plan (set, all zero, when it starts). */
  sliceProgress?: number[];
  error?: JsonValue | null;
}

export interface OperationProgress {
  documentsTotal?: number;
  documentsDone?: number;
  chunksCreated?: number;
}

export interface OperationFilter {
  collectionId?: string | undefined;
  status?: OperationStatus | undefined;
}

export interface StoredChunk {
  id: string;
  documentId: string;
  collectionId: string;
  operationId: string | null;
  chunkIndex: number;
  startOffset: number;
  endOffset: number;
  charCount: number;
  tokenCount: number;
  content: string;
  /** Context header + content: what an embedding model is given. */
  embedText: string;
  /** Exact token count of embedText. */
  embedTokenCount: number;
  metadata: JsonObject;
  createdAt: Date;
}

export interface NewChunk {
  chunkIndex: number;
  startOffset: number;
  endOffset: number;
  charCount: number;
  tokenCount: number;
  content: string;
  /** What embedText adds before the content; none when absent. */
  embedHeader?: string;
  /** Exact token count of embedHeader + content; tokenCount when absent. */
  embedTokenCount?: number;
  metadata?: JsonObject;
}

/** One line of a collection's export: a stored chunk with its document's name and metadata. */
export interface ExportedChunk {
  documentId: string;
  documentName: string;
  index: number;
  content: string;
  embedText: string;
  startOffset: number;
  endOffset: number;
  charCount: number;
  tokenCount: number;
  embedTokenCount: number;
  metadata: JsonObject;
  documentMetadata: JsonObject;
}

export interface Preset {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  strategy: string;
  config: JsonObject;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPreset {
  name: string;
  description?: string | null;
  strategy: string;
  config: JsonObject;
}

export type PresetUpdate = Partial<NewPreset>;

export interface PageRequest {
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor?: string | undefined;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to read the next page; null on the last page. */
  nextCursor: string | null;
}

export type OperationsByStatus = Record<OperationStatus, number>;

/** Chunks whose char count lies in `[from, to]` (both inclusive). */
export interface ChunkSizeBin {
  from: number;
  to: number;
  count: number;
}

export interface CollectionStatistics {
  collectionId: string;
  totalChunks: number;
  totalDocuments: number;
  avgChunkSize: number;
  minChunkSize: number;
  maxChunkSize: number;
  /** Sizes of the chunks' embedText (context header + content), in characters. */
  embedTextSize: { avg: number; min: number; max: number };
  /**
   * Every chunk's char count in at most 12 equal-width bins from minChunkSize on (the last one
   * holds maxChunkSize), empty bins included; empty when the collection has no chunks.
   */
  sizeDistribution: ChunkSizeBin[];
  operationsByStatus: OperationsByStatus;
  avgProcessingMs: number | null;
  lastUpdated: Date;
}
