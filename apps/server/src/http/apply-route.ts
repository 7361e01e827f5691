import { appRouter, REST_BASE_PATH } from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import { callTRPCProcedure } from '@trpc/server';
import type { FastifyInstance } from 'fastify';
import { contextFactory } from './context.ts';

/**
 * `POST /api/v2/chunking/apply` → 202 Accepted with the queued operation. The REST adapter cannot
 * serve it: its server-side caller resolves a procedure named `apply` to Function.prototype.apply.
 * So this route calls the same tRPC procedure directly, through the same middlewares (auth, rate
 * limits, correlation), input and output validation; its failures are answered by Fastify's error
 * handler, like every other.
 */
export function registerApplyRoute(app: FastifyInstance, services: Services): void {
  const createContext = contextFactory(services);
  app.post(`${REST_BASE_PATH}/chunking/apply`, async (request, reply) => {
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
  });
}
