/**
 * Bearer-token authentication, deny by default.
 *
 * Three steps, in this order for every route:
 *   1. identify (app-level preHandler): verify the JWT if one is sent and set
 *      request.actor; a bad token leaves actor null and is remembered;
 *   2. the rate limiter (route-level preHandler, registered in app.ts) counts
 *      the call, keyed by token subject or by IP, so failed authentications are
 *      limited too;
 *   3. require (route-level preHandler added here): refuse with 401 unless the
 *      route is declared `config: { public: true }`.
 */
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Problem } from '../http/problem.ts';
import { actorFromClaims, type Actor } from './actor.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    authFailure: string | null;
  }
  interface FastifyContextConfig {
    /** Route needs no authentication (health, docs, public directory). */
    public?: boolean;
  }
}

export interface AuthOptions {
  jwtSecret?: string | undefined;
  jwtPublicKey?: string | undefined;
  jwtAlgorithm: 'EdDSA' | 'ES256' | 'RS256';
  issuer?: string | undefined;
  audience?: string | undefined;
}

export const authPlugin = fp<AuthOptions>(async (app: FastifyInstance, opts) => {
  const hmac = opts.jwtSecret !== undefined;
  const key = hmac ? opts.jwtSecret : opts.jwtPublicKey;
  if (!key) throw new Error('JWT_SECRET or JWT_PUBLIC_KEY is required');
  await app.register(fastifyJwt, {
    secret: hmac ? key : { public: key },
    verify: {
      algorithms: [hmac ? 'HS256' : opts.jwtAlgorithm],
      requiredClaims: ['exp', 'sub', 'role'],
      ...(opts.issuer ? { allowedIss: opts.issuer } : {}),
      ...(opts.audience ? { allowedAud: opts.audience } : {}),
      cache: 1000,
      cacheTTL: 60_000,
    },
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('authFailure', null);

  app.addHook('preHandler', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) return;
    if (!/^Bearer [A-Za-z0-9._~+/-]+=*$/.test(header)) {
      request.authFailure = 'malformed Authorization header';
      return;
    }
    try {
      const claims = await request.jwtVerify();
      const actor = actorFromClaims(claims);
      if (actor) request.actor = actor;
      else request.authFailure = 'token claims are not valid';
    } catch {
      request.authFailure = 'token is not valid';
    }
  });

  // The check reads the route's config at request time, so a plugin context
  // may mark its routes public in its own onRoute hook (see the docs page).
  app.addHook('onRoute', (route) => {
    const requireActor = async (request: FastifyRequest) => {
      if (!request.actor && !request.routeOptions.config.public) {
        throw new Problem('unauthenticated', request.authFailure ?? 'a bearer token is required');
      }
    };
    if (Array.isArray(route.preHandler)) route.preHandler.push(requireActor);
    else if (route.preHandler) route.preHandler = [route.preHandler, requireActor];
    else route.preHandler = [requireActor];
  });
});
