import { REST_BASE_PATH } from '@chunkflow/api';
import { exceptionTranslator } from '@chunkflow/core-services';
import { ApplicationError } from '@chunkflow/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import { sendError } from './error-reply.ts';
import { errorForStatus } from './framework-errors.ts';
import { toRestErrorEnvelope } from './rest-errors.ts';

/**
 * Every error leaves in the documented envelope with code and correlation id: the REST adapter's
 * tRPC-shaped errors are rewritten, and errors Fastify raises itself (body too large, malformed
 * JSON, unknown route) are translated here.
 */
export function registerErrorHandling(app: FastifyInstance, bodyLimitBytes: number): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // The REST adapter rewrites request.url, so recognise its route by the registered pattern.
    const isRestError =
      reply.statusCode >= 400 && request.routeOptions.url?.startsWith(`${REST_BASE_PATH}/`) === true;
    return isRestError && typeof payload === 'string' ? toRestErrorEnvelope(payload, request.id) : payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { applicationError, status } = fromFastifyError(error, bodyLimitBytes);
    if (applicationError.isServerError)
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
  const applicationError = exceptionTranslator.translate(error);
  return { applicationError, status: applicationError.httpStatus };
}
