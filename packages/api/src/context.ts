import type { AuthenticatedTenant, Services } from '@chunkflow/core-services';

/** What every procedure sees. Built by the transport (apps/server) and never throws. */
export interface RequestContext {
  services: Services;
  correlationId: string;
  /** Raw `Authorization: Bearer` value, checked lazily by the auth middleware. */
  apiKey: string | undefined;
  /**
   * The caller's tenant from `apiKey`, looked up once per request by the transport (which may have
   * needed it before the body was read); without it, the auth middleware looks the key up itself.
   */
  authenticate?: (() => Promise<AuthenticatedTenant>) | undefined;
}

export interface AuthedContext extends RequestContext {
  tenant: AuthenticatedTenant;
}
