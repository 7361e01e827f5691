import type { AuthenticatedTenant, Services } from '@chunkflow/core-services';

/** What every procedure sees. Built by the transport (apps/server) and never throws. */
export interface RequestContext {
  services: Services;
  correlationId: string;
  /** Raw `Authorization: Bearer` value, checked lazily by the auth middleware. */
  apiKey: string | undefined;
}

export interface AuthedContext extends RequestContext {
  tenant: AuthenticatedTenant;
}
