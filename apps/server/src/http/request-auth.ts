import type { AuthenticatedTenant, AuthService } from '@chunkflow/core-services';
import type { FastifyRequest } from 'fastify';

/** Each request's key lookup, made once whoever asks first: the early check or a procedure. */
const lookups = new WeakMap<
  FastifyRequest,
  { apiKey: string | undefined; tenant: Promise<AuthenticatedTenant> }
>();

/**
 * The tenant of `apiKey` for this request, looked up at most once per request and key (a tRPC
 * batch's procedures, and a large body's early check before them, share the lookup).
 */
export function requestTenant(
  auth: AuthService,
  request: FastifyRequest,
  apiKey: string | undefined,
): Promise<AuthenticatedTenant> {
  const known = lookups.get(request);
  if (known && known.apiKey === apiKey) return known.tenant;
  const tenant = auth.authenticate(apiKey);
  // Whoever asked handles a refusal; a second asker gets the same one.
  tenant.catch(() => undefined);
  lookups.set(request, { apiKey, tenant });
  return tenant;
}
