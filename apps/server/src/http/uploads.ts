import type { Readable } from 'node:stream';
import { createBodyCaller, REST_BASE_PATH, toApplicationError } from '@chunkflow/api';
import { DEFAULT_SETTINGS, type Services } from '@chunkflow/core-services';
import { RateLimitedError, UnauthorizedError } from '@chunkflow/errors';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { contextFactory } from './context.ts';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth.ts';
import { procedureFailureLogger } from './trpc-routes.ts';
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
 * when no upload memory frees up in time. The upload runs as the in-process procedure
 * `documents.upload` (packages/api bodyRouter): it counts against the key's `writes` rate limit,
 * and each key has at most MAX_UPLOADS_PER_KEY in flight; a sender that stalls or trickles is cut
 * off (TIMEOUT) so it cannot hold upload memory. A refusal of a known caller drops the unread rest
 * of the body (see discardUnreadBody), so the client gets the answer; an unknown caller, or a
 * sender cut off, has the connection closed instead, which costs the server nothing more.
 */
export function registerUploadRoute(app: FastifyInstance, services: Services, pace: UploadPace): void {
  const createContext = contextFactory(services);
  const onError = procedureFailureLogger(app.log);
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route({
      method: ['PUT', 'POST'],
      url: `${REST_BASE_PATH}/collections/:collectionId/documents/upload`,
      handler: async (request, reply) => {
        const body = (request.body ?? request.raw) as Readable;
        try {
          const { collectionId } = paramsSchema.parse(request.params);
          const { name, metadata } = uploadQuerySchema.parse(request.query);
          // A procedure like every other: authenticated (once per request), rate limited, timed,
          // logged; it holds one of its key's upload slots while it reads.
          const document = await createBodyCaller(createContext({ req: request }), {
            onError,
          }).documents.upload({
            collectionId,
            document: { name, contentType: mediaType(request.headers['content-type']), metadata },
            // A reader that gives up (too large, no memory) leaves the rest unread, not destroyed,
            // so it can be dropped and the client read the answer instead of a reset.
            body: pacedBody(body.iterator({ destroyOnReturn: false }), pace),
            declaredBytes: declaredLength(request.headers['content-length']),
          });
          return reply.status(201).send(document);
        } catch (error) {
          if (closesConnection(toApplicationError(error))) void reply.header('connection', 'close');
          // The client may still be sending the body: it must be able to read the answer.
          else discardUnreadBody(request.raw, reply, DEFAULT_SETTINGS.uploads.maxBytes);
          throw error;
        }
      },
    });
  });
}

/** Refusals not worth reading the rest of the body for: unknown or throttled callers, stalled senders. */
export function closesConnection(error: unknown): boolean {
  return (
    error instanceof UnauthorizedError ||
    error instanceof UploadTooSlowError ||
    error instanceof RateLimitedError
  );
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim() || undefined;
}
