/**
 * Bearer authentication and the route-level half of the authorization
 * policy, deny by default.
 *
 * For every route, in this order:
 *   1. identify (app-level preHandler): an API key (`pocdir_…`) is looked up
 *      by its hash; a JWT is verified (shared secret, public key, or an OIDC
 *      provider's JWKS with rotation by `kid`). In `claims` mode the token's
 *      role and state are trusted; in `registry` mode the token proves only
 *      (issuer, subject) and role and state come from the user registry, read
 *      on every request so a deactivation bites on the next one. A bad
 *      credential leaves actor null and is remembered;
 *   2. the rate limiter (route-level preHandler, registered in app.ts) counts
 *      the call, keyed by subject or by IP, so failed authentications count;
 *   3. gate (route-level preHandler added here): the route's declared action
 *      (`config: { action }`, see policy.ts) must exist; unless it is
 *      `public` a caller is required (401), a read-only API key is refused
 *      write actions, and actions decidable from the route's `:code` are
 *      decided here (403). Services decide the resource-level rules with the
 *      same policy.
 * A route without a declared action makes the application fail at startup.
 */
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Problem } from '../http/problem.ts';
import { actorFromClaims, printable, type Actor } from './actor.ts';
import { authorize, decidedByRoute, isAction, requireScope, type Action } from './policy.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    authFailure: string | null;
  }
  interface FastifyContextConfig {
    /** The authorization action this route performs (policy.ts); `public` needs no authentication. */
    action?: Action;
  }
}

export const API_KEY_PREFIX = 'pocdir_';

export type AuthMode = 'claims' | 'registry';

export interface AuthOptions {
  jwtSecret?: string | undefined;
  jwtPublicKey?: string | undefined;
  jwtAlgorithm: 'EdDSA' | 'ES256' | 'RS256';
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Longest accepted token lifetime: exp - iat (exp - now without iat). */
  maxTtlSeconds: number;
  /** OIDC: verify tokens against this JWKS (keys picked by `kid`; refetched when an unknown `kid` arrives). */
  jwksUrl?: string | undefined;
  /** Minimum time between two JWKS refetches (jose's cooldown). */
  jwksCooldownMs?: number | undefined;
  mode: AuthMode;
  /** Registry mode: the active user with this identity, as an actor; null when unknown or deactivated. */
  resolveUser?: ((issuer: string, subject: string) => Promise<Actor | null>) | undefined;
  /** The actor an API key acts as; null when unknown, revoked, expired or its user deactivated. */
  resolveApiKey?: ((secret: string) => Promise<Actor | null>) | undefined;
}

/** How far ahead of our clock an `iat` may be (clock skew between the identity provider and us). */
export const IAT_LEEWAY_SECONDS = 60;

/**
 * Why a verified token's lifetime is not acceptable, or null. A token valid
 * for longer than `maxTtl` (or issued in the future) could not be revoked in
 * practice, so it is refused like a bad signature.
 */
export function lifetimeProblem(claims: { exp?: unknown; iat?: unknown }, nowSeconds: number, maxTtl: number): string | null {
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return 'exp is not a number';
  if (claims.iat !== undefined) {
    if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return 'iat is not a number';
    if (claims.iat > nowSeconds + IAT_LEEWAY_SECONDS) return 'token is issued in the future';
  }
  const from = typeof claims.iat === 'number' ? claims.iat : nowSeconds;
  if (claims.exp - from > maxTtl) return `token lifetime exceeds ${maxTtl} s`;
  return null;
}

/** The declared action of a route's config. */
export function declaredAction(config: { action?: unknown } | undefined): Action | null {
  const action = config?.action;
  return isAction(action) ? action : null;
}

export const authPlugin = fp<AuthOptions>(async (app: FastifyInstance, opts) => {
  const hmac = opts.jwtSecret !== undefined;
  const key = hmac ? opts.jwtSecret : opts.jwtPublicKey;
  const jwks = opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl), { cooldownDuration: opts.jwksCooldownMs ?? 30_000, timeoutDuration: 5000 }) : undefined;
  if (!key && !jwks) throw new Error('JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL is required');
  if (jwks && !opts.issuer) throw new Error('JWT_JWKS_URL needs JWT_ISSUER (tokens from any other issuer are refused)');
  if (opts.mode === 'registry' && !opts.resolveUser) throw new Error('registry mode needs the user registry');
  if (key) {
    await app.register(fastifyJwt, {
      secret: hmac ? key : { public: key },
      verify: {
        algorithms: [hmac ? 'HS256' : opts.jwtAlgorithm],
        requiredClaims: opts.mode === 'claims' ? ['exp', 'sub', 'role'] : ['exp', 'sub'],
        ...(opts.issuer ? { allowedIss: opts.issuer } : {}),
        ...(opts.audience ? { allowedAud: opts.audience } : {}),
      },
    });
  }

  app.decorateRequest('actor', null);
  app.decorateRequest('authFailure', null);

  // Verified tokens, by their exact text, until they expire: the same bytes
  // carry the same verified signature, so a repeat needs no new verification.
  // Only the token's claims are cached; in registry mode the registry is read every time.
  const verified = new Map<string, { claims: Record<string, unknown>; expiresAt: number }>();
  const VERIFIED_MAX = 10_000;

  async function verifyToken(request: FastifyRequest, token: string): Promise<Record<string, unknown>> {
    if (jwks) {
      const { payload } = await jwtVerify(token, jwks, {
        algorithms: [opts.jwtAlgorithm],
        issuer: opts.issuer!,
        requiredClaims: ['exp', 'sub'],
        ...(opts.audience ? { audience: opts.audience } : {}),
      });
      return payload as Record<string, unknown>;
    }
    return request.jwtVerify<Record<string, unknown>>();
  }

  async function toActor(claims: Record<string, unknown>): Promise<Actor | null> {
    if (opts.mode === 'claims') return actorFromClaims(claims);
    const sub = claims.sub;
    const iss = typeof claims.iss === 'string' ? claims.iss : '';
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256 || !printable(sub) || iss.length > 1024 || !printable(iss)) return null;
    return opts.resolveUser!(iss, sub);
  }

  app.addHook('preHandler', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) return;
    if (!/^Bearer [A-Za-z0-9._~+/-]+=*$/.test(header)) {
      request.authFailure = 'malformed Authorization header';
      return;
    }
    const token = header.slice(7);
    if (token.startsWith(API_KEY_PREFIX)) {
      const actor = opts.resolveApiKey ? await opts.resolveApiKey(token) : null;
      if (actor) request.actor = actor;
      else request.authFailure = 'API key is not valid (unknown, revoked, expired, or its user deactivated)';
      return;
    }
    let claims: Record<string, unknown>;
    const hit = verified.get(header);
    const now = Date.now();
    if (hit && hit.expiresAt > now) {
      claims = hit.claims;
    } else {
      if (hit) verified.delete(header);
      try {
        claims = await verifyToken(request, token);
      } catch {
        request.authFailure = 'token is not valid';
        return;
      }
      const tooLong = lifetimeProblem(claims, now / 1000, opts.maxTtlSeconds);
      if (tooLong) {
        request.authFailure = tooLong;
        return;
      }
      if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
      // Never cached beyond the longest lifetime we accept, whatever the token says.
      verified.set(header, { claims, expiresAt: Math.min((claims.exp as number) * 1000, now + opts.maxTtlSeconds * 1000) });
    }
    const actor = await toActor(claims);
    if (!actor) {
      request.authFailure = opts.mode === 'registry' ? 'the caller is not an active registered user' : 'token claims are not valid';
      return;
    }
    request.actor = actor;
  });

  const gate = async (request: FastifyRequest) => {
    const action = declaredAction(request.routeOptions.config);
    // Fail closed even if a route slipped past the startup check.
    if (!action) throw new Problem('forbidden', 'this route declares no authorization action');
    if (action === 'public') return;
    const actor = request.actor;
    if (!actor) throw new Problem('unauthenticated', request.authFailure ?? 'a bearer token is required');
    const params = (request.params ?? {}) as { code?: unknown };
    if (decidedByRoute(action)) authorize(actor, action, typeof params.code === 'string' ? { state: params.code } : {});
    else requireScope(actor, action);
  };

  // Every route gets the gate; routes are collected and checked for a declared
  // action once the application is ready (a plugin context may still set its
  // routes' config in its own onRoute hook, as the docs context does).
  const routes: { method: string | string[]; url: string; config?: { action?: unknown } }[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route as (typeof routes)[number]);
    if (Array.isArray(route.preHandler)) route.preHandler.push(gate);
    else if (route.preHandler) route.preHandler = [route.preHandler, gate];
    else route.preHandler = [gate];
  });
  app.addHook('onReady', async () => {
    const undeclared = routes.filter((r) => !declaredAction(r.config)).map((r) => `${String(r.method)} ${r.url}`);
    if (undeclared.length > 0) throw new Error(`routes without an authorization action (config.action): ${undeclared.join(', ')}`);
  });
  app.decorate('declaredRoutes', () => routes.map((r) => ({ method: r.method, url: r.url, action: declaredAction(r.config) })));
});

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route with its declared action (null: none), for the route-coverage test. */
    declaredRoutes(): { method: string | string[]; url: string; action: Action | null }[];
  }
}
