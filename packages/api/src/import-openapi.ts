import type { OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { bulkItemResultSchema, IMPORT_CONTENT_TYPE, importEndLineSchema } from './schemas/bulk-documents.ts';

/** The import's path, relative to REST_BASE_PATH as the document's paths are. */
export const IMPORT_PATH = '/collections/{collectionId}/documents/import';

type PathItem = NonNullable<OpenAPIObject['paths']>[string];
type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const outputSchemaOf = (schema: z.ZodType): SchemaObject => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'output' });
  return rest as SchemaObject;
};

/** One line of the body (the service checks it with its own zod schema, whose metadata is recursive JSON). */
const importLine: SchemaObject = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  description: 'Exactly one of base64 and text',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 500 },
    contentType: {
      type: 'string',
      description: 'Declared media type; absent or application/octet-stream is detected',
    },
    metadata: { type: 'object', additionalProperties: true },
    base64: { type: 'string', description: 'The file, standard base64' },
    text: { type: 'string', description: 'The file as UTF-8 text' },
  },
};

/**
 * The import reads and answers NDJSON on a route of its own (a procedure takes one JSON value):
 * its operation is described here and added to the generated document, as the export's is.
 */
export function importPathItem(): PathItem {
  const mediaType = IMPORT_CONTENT_TYPE.split(';')[0] as string;
  return {
    post: {
      operationId: 'documents-import',
      summary: 'Import files as NDJSON, one per line, converted as uploads are',
      description:
        'Each line is a file: `base64` (PDF, DOCX, HTML, Markdown, text, code) or `text`, with its name and optional contentType and metadata. Files are converted and stored in batches while the body arrives; the answer streams one result per line (created, duplicate with the existing id, or refused with its typed error), then `{summary}`, or `{error}` when the import ended early.',
      tags: ['documents'],
      security: [{ bearerAuth: [] }],
      parameters: [{ name: 'collectionId', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        required: true,
        content: { [mediaType]: { schema: importLine } },
      },
      responses: {
        200: {
          description:
            'NDJSON: one BulkItemResult per item, in order, then the summary (or the error that ended it)',
          content: {
            [mediaType]: {
              schema: {
                anyOf: [outputSchemaOf(bulkItemResultSchema), outputSchemaOf(importEndLineSchema)],
              },
            },
          },
        },
      },
    },
  };
}
