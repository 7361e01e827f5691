import { Readable } from 'node:stream';
import {
  createBodyCaller,
  EXPORT_CONTENT_TYPE,
  errorAnswer,
  REST_BASE_PATH,
  toApplicationError,
} from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { contextFactory } from './context.ts';
import { procedureFailureLogger } from './trpc-routes.ts';

/** Bytes the response holds before it stops reading batches: about one batch ahead of the socket. */
const STREAM_BUFFER_BYTES = 64 * 1024;

/**
 * The export's lines, then, if the stream fails once started (its time budget spent, the database
 * gone), one last line in the REST error shape, `{"error":{code,message,correlationId}}`: the
 * status (200) is sent by then, so the refusal travels in the body, typed, where the client reads it.
 */
async function* linesEndingInRefusal(
  lines: AsyncGenerator<string>,
  correlationId: string,
  log: FastifyBaseLogger,
): AsyncGenerator<string> {
  try {
    yield* lines;
  } catch (error) {
    const refusal = toApplicationError(error);
    if (refusal.isServerError) log.error({ err: error, correlationId }, 'export failed');
    yield `${JSON.stringify(errorAnswer(refusal, { correlationId }).rest)}\n`;
  }
}

/**
 * `GET /api/v2/collections/{collectionId}/export[?documentId=…|afterDocumentId=…]`: the
 * collection's stored chunks as NDJSON, streamed. It is the in-process procedure `chunks.export`
 * (packages/api bodyRouter), so it is authenticated, rate limited (`reads`), validated, timed and
 * logged like every procedure; refusals (unknown or another tenant's collection, bad ids) are
 * answered before the first line. Batches are read from the database only as the socket drains,
 * so memory stays flat whatever the collection's size; a client that goes away destroys the
 * stream, which ends the reads.
 */
export function registerExportRoute(app: FastifyInstance, services: Services): void {
  const createContext = contextFactory(services);
  const onError = procedureFailureLogger(app.log);
  app.get(`${REST_BASE_PATH}/collections/:collectionId/export`, async (request, reply) => {
    const { collectionId } = request.params as { collectionId: string };
    const lines = await createBodyCaller(createContext({ req: request }), { onError }).chunks.export({
      ...(request.query as object),
      collectionId,
    });
    const body = Readable.from(linesEndingInRefusal(lines, request.id, request.log), {
      objectMode: false,
      highWaterMark: STREAM_BUFFER_BYTES,
    });
    // Closed once its reads have ended: all sent, or cut short (client gone, failure).
    body.on('close', () =>
      request.log.info({ correlationId: request.id, complete: body.readableEnded }, 'export closed'),
    );
    return reply.header('content-type', EXPORT_CONTENT_TYPE).send(body);
  });
}
