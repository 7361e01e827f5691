import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every response (helmet): nosniff, no framing (the playground keeps the API
 * key in localStorage), no referrer, and a CSP under which the playground and Swagger UI work: both
 * load only their own scripts; Swagger UI sets inline styles. No `upgrade-insecure-requests`: a
 * server reached over plain HTTP (not localhost) would have its own assets upgraded and broken;
 * for the same reason HSTS is left to the TLS-terminating proxy in front, which knows the scheme.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  void app.register(fastifyHelmet, {
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
}
