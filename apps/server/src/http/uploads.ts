import type { Readable } from 'node:stream';
import { REST_BASE_PATH } from '@chunkflow/api';
import { DEFAULT_WORKFLOW_LIMITS, type Services } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bearerToken } from './context.ts';
import { declaredLength, discardUnreadBody } from './unread-body.ts';

const uploadQuerySchema = z.object({
  name: z.string().trim().min(1).max(500),
  metadata: z
    .string()
    .max(16_384)
    .transform((text) => z.record(z.string(), z.json()).parse(JSON.parse(text)))
    .optional(),
});

const paramsSchema = z.object({ collectionId: z.string().min(1).max(64) });

/**
 * `PUT|POST /api/v2/collections/{collectionId}/documents/upload?name=…` with the document as the
 * raw body (any text content type), up to the service's limit (100 MB). The body is never parsed
 * or buffered by Fastify: the stream goes to the document service, which reads it through the
 * upload memory pool and refuses it (413) as soon as it is declared or found too large, or (503)
 * when no upload memory frees up in time. A refusal drops the unread rest of the body (see
 * discardUnreadBody), so the client gets it.
 */
export function registerUploadRoute(app: FastifyInstance, services: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route({
      method: ['PUT', 'POST'],
      url: `${REST_BASE_PATH}/collections/:collectionId/documents/upload`,
      handler: async (request, reply) => {
        const body = (request.body ?? request.raw) as Readable;
        try {
          const tenant = await services.auth.authenticate(bearerToken(request.headers.authorization));
          const { collectionId } = paramsSchema.parse(request.params);
          const { name, metadata } = uploadQuerySchema.parse(request.query);
          const document = await services.documents.upload(
            tenant,
            collectionId,
            { name, contentType: mediaType(request.headers['content-type']), metadata },
            // A reader that gives up (too large, no memory) leaves the rest unread, not destroyed,
            // so it can be dropped and the client read the answer instead of a reset.
            body.iterator({ destroyOnReturn: false }),
            declaredLength(request.headers['content-length']),
          );
          return reply.status(201).send(document);
        } catch (error) {
          // The client may still be sending the body: it must be able to read the answer.
          discardUnreadBody(request.raw, reply, DEFAULT_WORKFLOW_LIMITS.maxBytes);
          throw error;
        }
      },
    });
  });
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim() || undefined;
}
