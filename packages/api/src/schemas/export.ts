import { z } from 'zod';

export const EXPORT_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';

const uuidText = z.string().min(1).max(64);

/** The query of `GET /collections/{collectionId}/export`; ids are checked as UUIDs where they are read. */
export const exportQuerySchema = z.strictObject({
  documentId: uuidText.optional().describe("Only this document's chunks"),
  afterDocumentId: uuidText
    .optional()
    .describe(
      'Resume: only documents after this one (the documentId of the last complete document received)',
    ),
});

/** What `chunks.export` takes: the path's collection and the query. */
export const exportInputSchema = exportQuerySchema.extend({ collectionId: uuidText });

/** One line of the export: a stored chunk with its document's name and metadata. */
export const exportLineSchema = z.object({
  documentId: z.string(),
  documentName: z.string(),
  index: z.number().int(),
  content: z.string(),
  embedText: z.string(),
  startOffset: z.number().int(),
  endOffset: z.number().int(),
  charCount: z.number().int(),
  tokenCount: z.number().int(),
  embedTokenCount: z.number().int(),
  // Plain records (not z.json(), which is recursive): the OpenAPI document inlines this schema.
  metadata: z.record(z.string(), z.unknown()).describe("The strategy's keys over the document's metadata"),
  documentMetadata: z.record(z.string(), z.unknown()),
  pages: z.array(z.number().int()).optional().describe('[first, last] page (1-based) of paged documents'),
});
export type ExportLine = z.infer<typeof exportLineSchema>;
