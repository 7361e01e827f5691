import type { RequestContext } from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import type { FastifyRequest } from 'fastify';
import { requestTenant } from './request-auth.ts';

/** The API key from `Authorization: Bearer <key>`, or undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer[ ]+([^\s]+)$/i);
  return match?.[1];
}

/**
 * Builds a procedure's context from the HTTP request; never throws, so error formatting always
 * has the correlation id. SSE clients cannot send headers, so subscriptions (and only they: a key
 * in a URL ends up in logs and proxies) may pass the key as tRPC `connectionParams.apiKey` instead.
 */
export function contextFactory(services: Services) {
  return ({
    req,
    info,
  }: {
    req: FastifyRequest;
    info?: { type?: string; connectionParams?: Partial<Record<string, string>> | null };
  }): RequestContext => {
    const apiKey =
      bearerToken(req.headers.authorization) ??
      (info?.type === 'subscription' ? info.connectionParams?.apiKey : undefined);
    return {
      services,
      correlationId: req.id,
      apiKey,
      authenticate: () => requestTenant(services.auth, req, apiKey),
    };
  };
}
