import { Readable } from 'node:stream';
import { EXPORT_CONTENT_TYPE, exportQuerySchema, REST_BASE_PATH } from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bearerToken } from './context.ts';

const paramsSchema = z.object({ collectionId: z.string().min(1).max(64) });

/** Bytes the response holds before it stops reading batches: about one batch ahead of the socket. */
const STREAM_BUFFER_BYTES = 64 * 1024;

/**
 * `GET /api/v2/collections/{collectionId}/export[?documentId=…|afterDocumentId=…]`: the
 * collection's stored chunks as NDJSON, streamed. Authenticated and counted against the key's
 * `reads` limit like every read; refusals (unknown or another tenant's collection, bad ids) are
 * answered before the first line. Batches are read from the database only as the socket drains,
 * so memory stays flat whatever the collection's size; a client that goes away destroys the
 * stream, which ends the reads.
 */
export function registerExportRoute(app: FastifyInstance, services: Services): void {
  app.get(`${REST_BASE_PATH}/collections/:collectionId/export`, async (request, reply) => {
    const tenant = await services.auth.authenticate(bearerToken(request.headers.authorization));
    const { collectionId } = paramsSchema.parse(request.params);
    const query = exportQuerySchema.parse(request.query);
    await services.quotas.requests.admit(tenant.apiKeyId, 'reads');
    const lines = await services.chunks.export(tenant, { collectionId, ...query });
    const body = Readable.from(lines, { objectMode: false, highWaterMark: STREAM_BUFFER_BYTES });
    body.on('error', (error) =>
      request.log.error({ err: error, correlationId: request.id }, 'export failed'),
    );
    // Closed once its reads have ended: all sent, or cut short (client gone, failure).
    body.on('close', () =>
      request.log.info({ correlationId: request.id, complete: body.readableEnded }, 'export closed'),
    );
    return reply.header('content-type', EXPORT_CONTENT_TYPE).send(body);
  });
}
