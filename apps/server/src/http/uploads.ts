import type { Readable } from 'node:stream';
import { REST_BASE_PATH } from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bearerToken } from './context.ts';

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
 * upload memory pool and refuses it (413) as soon as it is declared or found too large.
 */
export function registerUploadRoute(app: FastifyInstance, services: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route({
      method: ['PUT', 'POST'],
      url: `${REST_BASE_PATH}/collections/:collectionId/documents/upload`,
      handler: async (request, reply) => {
        // Whatever goes wrong, the rest of the body may still be on its way: do not wait for it.
        void reply.header('connection', 'close');
        const tenant = await services.auth.authenticate(bearerToken(request.headers.authorization));
        const { collectionId } = paramsSchema.parse(request.params);
        const { name, metadata } = uploadQuerySchema.parse(request.query);
        const body = (request.body ?? request.raw) as Readable;
        const document = await services.documents.upload(
          tenant,
          collectionId,
          { name, contentType: mediaType(request.headers['content-type']), metadata },
          body,
          declaredLength(request.headers['content-length']),
        );
        void reply.header('connection', 'keep-alive');
        return reply.status(201).send(document);
      },
    });
  });
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim() || undefined;
}

function declaredLength(header: string | undefined): number | undefined {
  const length = Number(header);
  return header !== undefined && Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}
