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
  /** Longest accepted token lifetime: exp - iat (exp - now without iat). */
  maxTtlSeconds: number;
}

/** How far ahead of our clock an `iat` may be (clock skew between the identity provider and us). */
export const IAT_LEEWAY_SECONDS = 60;

/**
 * Why a verified token's lifetime is not acceptable, or null. A token valid
 * for longer than `maxTtl` (or issued in the future) could not be revoked in
 * practice, so it is refused like a bad signature.
 */
export function lifetimeProblem(claims: { exp: number; iat?: unknown }, nowSeconds: number, maxTtl: number): string | null {
  if (!Number.isFinite(claims.exp)) return 'exp is not a number';
  if (claims.iat !== undefined) {
    if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return 'iat is not a number';
    if (claims.iat > nowSeconds + IAT_LEEWAY_SECONDS) return 'token is issued in the future';
  }
  const from = typeof claims.iat === 'number' ? claims.iat : nowSeconds;
  if (claims.exp - from > maxTtl) return `token lifetime exceeds ${maxTtl} s`;
  return null;
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
    },
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('authFailure', null);

  // Verified tokens, by their exact text, until they expire: the same bytes
  // carry the same verified signature, so a repeat needs no new verification.
  const verified = new Map<string, { actor: Actor; expiresAt: number }>();
  const VERIFIED_MAX = 10_000;

  app.addHook('preHandler', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) return;
    if (!/^Bearer [A-Za-z0-9._~+/-]+=*$/.test(header)) {
      request.authFailure = 'malformed Authorization header';
      return;
    }
    const hit = verified.get(header);
    if (hit && hit.expiresAt > Date.now()) {
      request.actor = hit.actor;
      return;
    }
    if (hit) verified.delete(header);
    try {
      const claims = await request.jwtVerify<{ exp: number; iat?: unknown }>();
      const now = Date.now();
      const tooLong = lifetimeProblem(claims, now / 1000, opts.maxTtlSeconds);
      if (tooLong) {
        request.authFailure = tooLong;
        return;
      }
      const actor = actorFromClaims(claims);
      if (!actor) {
        request.authFailure = 'token claims are not valid';
        return;
      }
      request.actor = actor;
      if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
      // Never cached beyond the longest lifetime we accept, whatever the token says.
      verified.set(header, { actor, expiresAt: Math.min(claims.exp * 1000, now + opts.maxTtlSeconds * 1000) });
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
