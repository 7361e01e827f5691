import { appRouter, errorPresenter, REST_BASE_PATH } from '@chunkflow/api';
import { exceptionTranslator, type Services } from '@chunkflow/core-services';
import { callTRPCProcedure, getTRPCErrorFromUnknown } from '@trpc/server';
import type { FastifyInstance } from 'fastify';
import { contextFactory } from './context.ts';

/**
 * `POST /api/v2/chunking/apply` → 202 Accepted with the queued operation. The REST adapter cannot
 * serve it: its server-side caller resolves a procedure named `apply` to Function.prototype.apply.
 * So this route calls the same tRPC procedure directly, through the same middlewares (auth, rate
 * limits, correlation), input and output validation, and error presentation.
 */
export function registerApplyRoute(app: FastifyInstance, services: Services): void {
  const createContext = contextFactory(services);
  app.post(`${REST_BASE_PATH}/chunking/apply`, async (request, reply) => {
    try {
      const operation = await callTRPCProcedure({
        router: appRouter,
        path: 'chunking.apply',
        type: 'mutation',
        ctx: createContext({ req: request }),
        getRawInput: async () => request.body,
        signal: undefined,
        batchIndex: 0,
      });
      return reply.status(202).send(operation);
    } catch (caught) {
      const error = errorPresenter.toApplicationError(getTRPCErrorFromUnknown(caught));
      if (error.retryAfter !== undefined) void reply.header('retry-after', String(error.retryAfter));
      return reply.status(error.httpStatus).send(exceptionTranslator.toRestBody(error, request.id));
    }
  });
}
