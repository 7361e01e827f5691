/**
 * Bounds of the bulk document API. `@chunkflow/client` declares the same numbers (a test holds
 * them equal), so a client never builds a request the server refuses for its size.
 */
export const BULK_LIMITS = {
  /** Documents in one `documents.createMany` call; more answer VALIDATION_ERROR before any is stored. */
  maxBatchDocuments: 500,
  /** Hashes in one `documents.findByHashes` call. */
  maxLookupHashes: 1000,
  /** Items (non-blank lines) in one import request; the request ends with VALIDATION_ERROR past it. */
  maxImportItems: 10_000,
  /**
   * Bytes of one import line: a file of 12 MiB in base64, with room for its name and metadata.
   * A longer line is refused (DOCUMENT_TOO_LARGE) and skipped without being held; larger files go
   * through the upload route, one per request.
   */
  maxImportLineBytes: 16 * 1024 * 1024,
} as const;
