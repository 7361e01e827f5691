import { errorPresenter, trpcErrorResponse } from '@chunkflow/api';
import { exceptionTranslator } from '@chunkflow/core-services';
import type { ApplicationError } from '@chunkflow/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isTrpcPath } from './api-paths.ts';

/**
 * Answers an error raised outside the procedures (edge limits, throttles, Fastify's refusals): in
 * tRPC's response shape on /trpc, so the typed client reads its code, and in the documented REST
 * envelope everywhere else. `status` is the one Fastify chose when it differs from the code's.
 */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApplicationError,
  status: number = error.httpStatus,
): void {
  if (error.retryAfter !== undefined) void reply.header('retry-after', String(error.retryAfter));
  void reply.status(status);
  if (!isTrpcPath(request.url)) {
    void reply.send(exceptionTranslator.toRestBody(error, request.id));
    return;
  }
  const data = { ...errorPresenter.present(error, request.id), httpStatus: status };
  void reply.type('application/json; charset=utf-8').send(trpcErrorResponse(data, request.url));
}
