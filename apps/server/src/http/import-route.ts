import { PassThrough, type Readable } from 'node:stream';
import {
  type BulkItemResultLine,
  createBodyCaller,
  errorAnswer,
  IMPORT_CONTENT_TYPE,
  REST_BASE_PATH,
  toApplicationError,
} from '@chunkflow/api';
import { DEFAULT_SETTINGS, type Services } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { contextFactory } from './context.ts';
import { procedureFailureLogger } from './trpc-routes.ts';
import { discardUnreadBody } from './unread-body.ts';
import { pacedBody, type UploadPace } from './upload-pace.ts';
import { closesConnection } from './uploads.ts';

const paramsSchema = z.object({ collectionId: z.string().min(1).max(64) });

/**
 * `POST /api/v2/collections/{collectionId}/documents/import`: an NDJSON body of files, one per
 * line (`{name, base64 | text, contentType?, metadata?}`), converted as uploads are and stored in
 * batches while the body arrives. The answer is NDJSON too: one result line per item, in order,
 * written as each batch is stored, then `{summary}`, or `{error}` when the import ended early
 * (more items than one request takes, a store failure). Refusals known before the first result
 * (key, rate limit, unknown collection) answer as every request does. It runs as the in-process
 * procedure `documents.import` (packages/api bodyRouter): one `writes` call and one of its key's
 * upload slots, each stored item one `documents` item; its sender is held to the uploads' pace.
 */
export function registerImportRoute(app: FastifyInstance, services: Services, pace: UploadPace): void {
  const createContext = contextFactory(services);
  const onError = procedureFailureLogger(app.log);
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.post(`${REST_BASE_PATH}/collections/:collectionId/documents/import`, async (request, reply) => {
      const body = (request.body ?? request.raw) as Readable;
      const answer = new PassThrough();
      let answering = false;
      // Result lines are small and bounded by the items a request takes: they are written without
      // waiting for the client to read them, since a client may read only once it has sent all.
      const write = (lines: readonly object[]) => {
        if (!answering) {
          answering = true;
          void reply.status(200).header('content-type', IMPORT_CONTENT_TYPE).send(answer);
        }
        for (const line of lines) answer.write(`${JSON.stringify(line)}\n`);
      };
      try {
        const { collectionId } = paramsSchema.parse(request.params);
        const summary = await createBodyCaller(createContext({ req: request }), { onError }).documents.import(
          {
            collectionId,
            body: pacedBody(body.iterator({ destroyOnReturn: false }), pace),
            emit: (results: readonly BulkItemResultLine[]) => write(results),
          },
        );
        write([{ summary }]);
        answer.end();
      } catch (error) {
        const refusal = toApplicationError(error);
        if (!answering) {
          if (closesConnection(refusal)) void reply.header('connection', 'close');
          else discardUnreadBody(request.raw, reply, DEFAULT_SETTINGS.uploads.maxBytes);
          throw error;
        }
        write([errorAnswer(refusal, { correlationId: request.id }).rest]);
        answer.end();
        // The rest of the body is not read: drop it, so the client, still sending, gets the answer.
        discardUnreadBody(request.raw, reply, DEFAULT_SETTINGS.uploads.maxBytes);
      }
      return reply;
    });
  });
}
