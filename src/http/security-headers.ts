/**
 * Security response headers from helmet. Helmet's answer does not depend on
 * the request, so it is asked once at start-up (its middleware run against a
 * recording response) and the recorded headers are set on every reply: one
 * object copy instead of fourteen middleware calls per request (~4.5 µs of
 * the read path's CPU, bench/run.ts profile). tests/integration/health.test.ts
 * checks that every response carries exactly these headers.
 */
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
export const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const middleware = () => helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });

/** The headers helmet sets (lower-case names), found by running its middleware once against a recording response. */
export function helmetHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown;
  middleware()({} as never, res as never, (err?: unknown) => (failed = err));
  if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
  return Object.freeze(headers);
}

export function securityHeaders(app: FastifyInstance): void {
  const headers = helmetHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
