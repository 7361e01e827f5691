import { applyInputSchema, REST_BASE_PATH } from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from './context.ts';

/**
 * `POST /api/v2/chunking/apply` → 202 Accepted with the queued operation. Served here rather than
 * by the REST adapter because tRPC's server-side caller, which the adapter uses, treats a
 * procedure named `apply` as Function.prototype.apply. The tRPC procedure's input schema validates
 * the body, and its meta describes the route in the OpenAPI document.
 */
export function registerApplyRoute(app: FastifyInstance, services: Services): void {
  app.post(`${REST_BASE_PATH}/chunking/apply`, async (request, reply) => {
    const tenant = await services.auth.authenticate(bearerToken(request.headers.authorization));
    const operation = await services.operations.apply(tenant, applyInputSchema.parse(request.body));
    return reply.status(202).send(operation);
  });
}
