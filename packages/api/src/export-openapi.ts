import type { OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { EXPORT_CONTENT_TYPE, exportLineSchema, exportQuerySchema } from './schemas/export.ts';

/** The export's path, relative to REST_BASE_PATH as the document's paths are. */
export const EXPORT_PATH = '/collections/{collectionId}/export';

type PathItem = NonNullable<OpenAPIObject['paths']>[string];

function queryParameters() {
  return Object.entries(exportQuerySchema.shape).map(([name, schema]) => ({
    name,
    in: 'query' as const,
    required: false,
    description: schema.description ?? name,
    schema: { type: 'string' as const, format: 'uuid' },
  }));
}

/**
 * The export streams NDJSON from a route of its own (not a procedure, whose answer would be one
 * JSON value): its operation is described here and added to the generated document, which then
 * gives it the error responses and correlation header every operation has.
 */
export function exportPathItem(): PathItem {
  const { $schema: _, ...lineSchema } = z.toJSONSchema(exportLineSchema, { io: 'output' });
  return {
    get: {
      operationId: 'chunks-export',
      summary: "Export a collection's stored chunks as NDJSON",
      description:
        'One JSON line per stored chunk, in document then chunk order, streamed from the database as the client reads. Resume an interrupted export with afterDocumentId.',
      tags: ['chunks'],
      security: [{ bearerAuth: [] }],
      parameters: [
        { name: 'collectionId', in: 'path', required: true, schema: { type: 'string' } },
        ...queryParameters(),
      ],
      responses: {
        200: {
          description: 'NDJSON: one ExportLine per line',
          content: { [EXPORT_CONTENT_TYPE.split(';')[0] as string]: { schema: lineSchema } },
        },
      },
    },
  };
}
