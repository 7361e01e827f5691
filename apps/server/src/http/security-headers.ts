import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Security headers on every response (helmet): nosniff, no framing (the playground keeps the API
 * key in localStorage), no referrer, and a CSP under which the playground and Swagger UI work: both
 * load only their own scripts; Swagger UI sets inline styles. No `upgrade-insecure-requests`: a
 * server reached over plain HTTP (not localhost) would have its own assets upgraded and broken;
 * for the same reason HSTS is left to the TLS-terminating proxy in front, which knows the scheme.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
});

/**
 * Sets them on each response as it starts, from the middleware built once at start-up (the
 * Fastify plugin built it anew for every request).
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
