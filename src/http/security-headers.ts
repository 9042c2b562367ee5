/**
 * Security response headers from helmet, with the middleware built once at
 * start-up. (@fastify/helmet rebuilds helmet's middleware on every request:
 * ~50 µs per request measured on the read path, see the closing note of the
 * foundation issue; the headers are the same.)
 */
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
export const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

export function securityHeaders(app: FastifyInstance): void {
  const middleware = helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  app.addHook('onRequest', (request, reply, done) => {
    middleware(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
}
