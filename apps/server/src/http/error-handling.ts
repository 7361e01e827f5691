import { REST_BASE_PATH } from '@chunkflow/api';
import { exceptionTranslator } from '@chunkflow/core-services';
import { ApplicationError, DocumentTooLargeError, ValidationError } from '@chunkflow/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
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
    const applicationError = fromFastifyError(error, bodyLimitBytes);
    if (applicationError.isServerError)
      request.log.error({ err: error, correlationId: request.id }, 'request failed');
    if (applicationError.retryAfter !== undefined)
      void reply.header('retry-after', String(applicationError.retryAfter));
    void reply
      .status(applicationError.httpStatus)
      .send(exceptionTranslator.toRestBody(applicationError, request.id));
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApplicationError('NOT_FOUND', `No route ${request.method} ${request.url}`, {
      correlationId: request.id,
    });
    void reply.status(404).send(exceptionTranslator.toRestBody(error, request.id));
  });
}

function fromFastifyError(error: FastifyError, bodyLimitBytes: number): ApplicationError {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new DocumentTooLargeError(Number.NaN, bodyLimitBytes, { cause: error });
  }
  if (error.statusCode !== undefined && error.statusCode < 500) {
    return new ValidationError(error.message, { cause: error });
  }
  return exceptionTranslator.translate(error);
}
