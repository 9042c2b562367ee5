/**
 * The HTTP application: plugins in a deliberate order, then one route module
 * per domain. Everything stateful (database, keys, clock) is passed in, so
 * tests and the benchmark build the same app as production.
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { authPlugin } from './auth/plugin.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { contactsRoutes } from './contacts/routes.ts';
import { disclosureRoutes } from './disclosure/routes.ts';
import { exportsRoutes } from './exports/routes.ts';
import { requestsRoutes } from './requests/routes.ts';
import { checksRoutes } from './checks/routes.ts';
import { reportsRoutes } from './reports/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { frameworkErrors, problemHandlers } from './http/errors.ts';
import { documentTransform, routeTransform } from './http/openapi.ts';
import { DOCS_CSP, securityHeaders } from './http/security-headers.ts';
import { serializerCompiler } from './http/serializer.ts';
import { ledgerRoutes } from './ledger/routes.ts';
import { metricsPlugin } from './metrics/routes.ts';
import { createMetricsService, type PoolStats } from './metrics/service.ts';
import { notificationsRoutes } from './notifications/routes.ts';
import type { Services } from './services.ts';
import { statesRoutes } from './states/routes.ts';
import { governanceRoutes } from './governance/routes.ts';
import { usersRoutes } from './users/routes.ts';
import { apiKeysRoutes } from './apikeys/routes.ts';
import { pendingRoutes } from './pending/routes.ts';
import { problemsRoutes } from './problems/routes.ts';

export interface AppOptions {
  config: Pick<
    Config,
    | 'RATE_LIMIT_MAX'
    | 'RATE_LIMIT_WINDOW_MS'
    | 'BODY_LIMIT_BYTES'
    | 'JWT_PUBLIC_KEY'
    | 'JWT_ALGORITHM'
    | 'JWT_ISSUER'
    | 'JWT_AUDIENCE'
    | 'JWT_MAX_TTL_SECONDS'
    | 'JWT_JWKS_URL'
    | 'JWT_JWKS_COOLDOWN_MS'
    | 'AUTH_MODE'
    | 'TRUST_PROXY'
    | 'METRICS_TOKEN'
    | 'CORS_ORIGINS'
  >;
  jwtSecret: string | undefined;
  services: Services;
  logger: Logger;
  /** The database pool's counters for /metrics (PostgreSQL only). */
  poolStats?: (() => PoolStats) | undefined;
  /** The clock ages in /metrics are measured with (the services' clock). */
  clock?: Clock | undefined;
}

/** A client's X-Request-Id is kept when it is a plain token; anything else gets a fresh id. */
export const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Scalar's docs page without its cloud features: no "Ask AI" agent, no
 * "Generate MCP", no developer tools ("Share", "Deploy"), no telemetry, no
 * fonts from Scalar's CDN. This is a confidential tool.
 */
export const DOCS_CONFIGURATION = {
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
  telemetry: false,
  withDefaultFonts: false,
  hideDarkModeToggle: false,
} as const;

export const OPENAPI_INFO = {
  title: 'Points-of-Contact Directory API',
  version: '0.1.0',
  description:
    'The secure intergovernmental Points-of-Contact directory for ICT security incidents. Contact data is confidential by default and encrypted field by field; every state change is written to an append-only, verifiable ledger. Errors are RFC 9457 problem details; each problem `type` is a page of this service (/problems/{type}).',
  contact: { name: 'The directory secretariat' },
};

export async function buildApp({ config, jwtSecret, services, logger, poolStats, clock = systemClock }: AppOptions): Promise<FastifyInstance> {
  const base = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    frameworkErrors,
  });
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.removeContentTypeParser(['text/plain']);
  problemHandlers(base);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  securityHeaders(base);

  // Off unless CORS_ORIGINS lists origins. Registered before authentication and
  // rate limiting, so a preflight (OPTIONS) is answered without a token.
  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, {
      origin: config.CORS_ORIGINS,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'etag', 'location', 'retry-after'],
      credentials: false,
      maxAge: 600,
    });
  }

  const metrics = createMetricsService({ db: services.db, clock, ledger: services.ledger, pool: poolStats });
  await app.register(metricsPlugin, { metrics, token: config.METRICS_TOKEN });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'participation', description: 'States joining and withdrawing (voluntary participation)' },
        { name: 'contacts', description: 'Points of contact, encrypted at rest' },
        { name: 'disclosure', description: "Consent-based disclosure: the owner's grants, unilateral or reciprocal" },
        { name: 'directory', description: 'The directory as the caller may see it, and the public directory' },
        { name: 'requests', description: 'Incident communications: requests, acknowledgements, voluntary responses' },
        { name: 'secretariat', description: 'Verification, freshness, reachability checks and reports' },
        { name: 'ledger', description: 'The append-only ledger of every state change' },
        { name: 'governance', description: "The members' own decisions: proposals, votes under configurable rules, observer accreditation" },
        { name: 'notifications', description: "A state's webhook (Standard Webhooks signatures); notifications carry no confidential content" },
        { name: 'exports', description: 'Signed, optionally encrypted offline copies of what a state may see (json, vCard, CSV)' },
        { name: 'users', description: 'Who speaks for a state: the user registry and API keys' },
        { name: 'dual-control', description: "A state's two-person rule: pending changes approved by a second user" },
        { name: 'problems', description: 'The pages that problem `type` URIs name (RFC 9457)' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key', description: 'A JWT (claims mode: sub, role (delegate|authority|secretariat|auditor|observer), state (ISO 3166-1 alpha-3, delegates and authorities), exp; registry mode: iss and sub, role and state from the user registry) or an API key (pocdir_…)' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: routeTransform,
    transformObject: documentTransform,
  });

  // Rate limiting runs as a route-level preHandler, after the app-level
  // authentication hook has identified the caller and before the check that
  // refuses unauthenticated calls: failed authentications are counted too.
  await app.register(rateLimit, {
    hook: 'preHandler',
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: (req) => (req.actor ? `sub:${req.actor.sub}` : `ip:${req.ip}`),
  });
  await app.register(authPlugin, {
    jwtSecret,
    jwtPublicKey: config.JWT_PUBLIC_KEY,
    jwtAlgorithm: config.JWT_ALGORITHM,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxTtlSeconds: config.JWT_MAX_TTL_SECONDS,
    jwksUrl: config.JWT_JWKS_URL,
    jwksCooldownMs: config.JWT_JWKS_COOLDOWN_MS,
    mode: config.AUTH_MODE,
    resolveUser: services.users.resolve,
    resolveApiKey: services.apiKeys.resolve,
  });

  app.get('/openapi.json', { config: { action: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, action: 'public' };
    });
    // The docs page runs an inline script: relax the CSP for this context only.
    docs.addHook('onSend', async (_req, reply) => {
      reply.header('content-security-policy', DOCS_CSP);
    });
    await docs.register(scalar, { routePrefix: '/docs', configuration: { url: '/openapi.json', title: OPENAPI_INFO.title, ...DOCS_CONFIGURATION } });
  });

  const { db } = services;
  await app.register(healthRoutes(db));
  await app.register(problemsRoutes);
  await app.register(statesRoutes(services.states, services.pending));
  await app.register(contactsRoutes(services.contacts, services.pending));
  await app.register(disclosureRoutes(services.disclosure, services.pending));
  await app.register(requestsRoutes(services.requests, services.governance.templateVersion));
  await app.register(checksRoutes(services.checks));
  await app.register(reportsRoutes(services));
  await app.register(ledgerRoutes(services.ledger, db));
  await app.register(notificationsRoutes(services.notifications, services.pending));
  await app.register(governanceRoutes(services.governance));
  await app.register(exportsRoutes(services.exports));
  await app.register(usersRoutes(services.users));
  await app.register(apiKeysRoutes(services.apiKeys));
  await app.register(pendingRoutes(services.pending));
  return base;
}
