import { errorAnswer, trpcErrorBody } from '@chunkflow/api';
import type { ApplicationError } from '@chunkflow/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isTrpcPath } from './api-paths.ts';

/**
 * Answers a failure Fastify handles (procedures served over REST, edge limits, throttles,
 * Fastify's refusals) with `errorAnswer`: in tRPC's response shape on /trpc, so the typed client
 * reads its code, and in the documented REST envelope everywhere else. `status` is the one Fastify
 * chose when it differs from the code's.
 */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApplicationError,
  status?: number,
): void {
  const answer = errorAnswer(error, { correlationId: request.id, status });
  void reply.status(answer.status).headers(answer.headers).type('application/json; charset=utf-8');
  void reply.send(isTrpcPath(request.url) ? trpcErrorBody(answer.trpc, request.url) : answer.rest);
}
