import { toApplicationError } from '@chunkflow/api';
import { ApplicationError } from '@chunkflow/errors';
import { TRPCError } from '@trpc/server';
import type { FastifyError, FastifyInstance } from 'fastify';
import { sendError } from './error-reply.ts';
import { errorForStatus } from './framework-errors.ts';

/**
 * Every failure Fastify handles leaves in the documented envelope with code and correlation id:
 * errors of the REST procedures (their adapter hands them over, see trpc-routes.ts), of the edge
 * hooks and routes, and errors Fastify raises itself (body too large, malformed JSON, unknown route).
 */
export function registerErrorHandling(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { applicationError, status } = fromFastifyError(error, bodyLimitBytes);
    // A procedure's failure was logged with its path by the procedure routes' hook.
    if (applicationError.isServerError && !(error instanceof TRPCError))
      request.log.error({ err: error, correlationId: request.id }, 'request failed');
    sendError(request, reply, applicationError, status);
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApplicationError('NOT_FOUND', `No route ${request.method} ${request.url}`, {
      correlationId: request.id,
    });
    sendError(request, reply, error);
  });
}

/** Fastify's own refusals (415, malformed JSON, 413...) keep their status; anything else is translated. */
function fromFastifyError(
  error: FastifyError,
  bodyLimitBytes: number,
): { applicationError: ApplicationError; status: number } {
  const status = error.statusCode;
  if (!(error instanceof ApplicationError) && status !== undefined && status >= 400 && status < 500) {
    return { applicationError: errorForStatus(status, error.message, bodyLimitBytes), status };
  }
  const applicationError = toApplicationError(error);
  return { applicationError, status: applicationError.httpStatus };
}
