import type { Readable } from 'node:stream';
import { REST_BASE_PATH } from '@chunkflow/api';
import { DEFAULT_SETTINGS, type Services } from '@chunkflow/core-services';
import { RateLimitedError, UnauthorizedError } from '@chunkflow/errors';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bearerToken } from './context.ts';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth.ts';
import { declaredLength, discardUnreadBody } from './unread-body.ts';
import { pacedBody, type UploadPace, UploadTooSlowError } from './upload-pace.ts';

/** `metadata` is a JSON object given in the query string; bad JSON or deep nesting is a 400. */
function parseMetadata(text: string, context: z.RefinementCtx): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    context.addIssue({ code: 'custom', message: 'metadata is not valid JSON' });
    return z.NEVER;
  }
  if (exceedsDepth(parsed, MAX_JSON_DEPTH)) {
    context.addIssue({ code: 'custom', message: `metadata is nested deeper than ${MAX_JSON_DEPTH} levels` });
    return z.NEVER;
  }
  return parsed;
}

const uploadQuerySchema = z.object({
  name: z.string().trim().min(1).max(500),
  metadata: z.string().max(16_384).transform(parseMetadata).pipe(z.record(z.string(), z.json())).optional(),
});

const paramsSchema = z.object({ collectionId: z.string().min(1).max(64) });

/**
 * `PUT|POST /api/v2/collections/{collectionId}/documents/upload?name=…` with the document as the
 * raw body (any text content type), up to the service's limit (100 MB). The body is never parsed
 * or buffered by Fastify: the stream goes to the document service, which reads it through the
 * upload memory pool and refuses it (413) as soon as it is declared or found too large, or (503)
 * when no upload memory frees up in time. Uploads count against the key's `writes` rate limit,
 * and each key has at most MAX_UPLOADS_PER_KEY in flight; a sender that stalls or trickles is cut
 * off (TIMEOUT) so it cannot hold upload memory. A refusal of a known caller drops the unread rest
 * of the body (see discardUnreadBody), so the client gets the answer; an unknown caller, or a
 * sender cut off, has the connection closed instead, which costs the server nothing more.
 */
export function registerUploadRoute(app: FastifyInstance, services: Services, pace: UploadPace): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route({
      method: ['PUT', 'POST'],
      url: `${REST_BASE_PATH}/collections/:collectionId/documents/upload`,
      handler: async (request, reply) => {
        const body = (request.body ?? request.raw) as Readable;
        let releaseSlot: (() => void) | undefined;
        try {
          const tenant = await services.auth.authenticate(bearerToken(request.headers.authorization));
          const { collectionId } = paramsSchema.parse(request.params);
          const { name, metadata } = uploadQuerySchema.parse(request.query);
          await services.quotas.requests.admit(tenant.apiKeyId, 'writes');
          releaseSlot = services.quotas.uploads.acquire(tenant.apiKeyId);
          const document = await services.documents.upload(
            tenant,
            collectionId,
            { name, contentType: mediaType(request.headers['content-type']), metadata },
            // A reader that gives up (too large, no memory) leaves the rest unread, not destroyed,
            // so it can be dropped and the client read the answer instead of a reset.
            pacedBody(body.iterator({ destroyOnReturn: false }), pace),
            declaredLength(request.headers['content-length']),
          );
          return reply.status(201).send(document);
        } catch (error) {
          if (closesConnection(error)) void reply.header('connection', 'close');
          // The client may still be sending the body: it must be able to read the answer.
          else discardUnreadBody(request.raw, reply, DEFAULT_SETTINGS.uploads.maxBytes);
          throw error;
        } finally {
          releaseSlot?.();
        }
      },
    });
  });
}

/** Refusals not worth reading the rest of the body for: unknown or throttled callers, stalled senders. */
function closesConnection(error: unknown): boolean {
  return (
    error instanceof UnauthorizedError ||
    error instanceof UploadTooSlowError ||
    error instanceof RateLimitedError
  );
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim() || undefined;
}
