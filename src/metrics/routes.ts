/**
 * GET /metrics (Prometheus text format), only when METRICS_TOKEN is set, and
 * only to a scraper that sends it as a bearer token (compared in constant
 * time). Also times every request for poc_http_request_duration_seconds.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Problem } from '../http/problem.ts';
import type { MetricsService } from './service.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time check of an Authorization header against `Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = header?.startsWith('Bearer ') ? header.slice(7) : '';
  // Comparing fixed-length digests keeps the time independent of both lengths and contents.
  return timingSafeEqual(digest(presented), digest(token)) && presented.length > 0;
}

export const metricsPlugin = fp<{ metrics: MetricsService; token: string | undefined }>(async (app: FastifyInstance, { metrics, token }) => {
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? '(unmatched)', reply.statusCode, reply.elapsedTime / 1000);
  });
  if (!token) return; // deny by default: no token configured, no endpoint
  app.get('/metrics', {
    // The scraper's token is not a user JWT: the route checks it itself (constant time).
    config: { action: 'public' },
    schema: { hide: true },
    handler: async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new Problem('unauthenticated', 'send the metrics token (METRICS_TOKEN) as a bearer token');
      }
      const body = await metrics.scrape();
      return reply.type(metrics.contentType).send(body);
    },
  });
});
