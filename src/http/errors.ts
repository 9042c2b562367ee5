/**
 * Maps every error to an RFC 9457 problem+json response. Internals of 5xx
 * errors go to the log (redacted), never to the client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/index.ts';
import { Problem, problemBody, problemTypes, type ProblemType } from './problem.ts';

/** Seconds a client should wait before retrying a 503 (database unavailable). */
export const RETRY_AFTER_SECONDS = 2;

const BY_STATUS: Record<number, ProblemType> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'unavailable',
};

/** Fastify's own client-error messages are fixed strings without request data; safe to pass on. */
const SAFE_FASTIFY_CODES = new Set([
  'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  'FST_ERR_CTP_BODY_TOO_LARGE',
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_INVALID_JSON_BODY',
  'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
]);

export function problemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const send = (type: ProblemType, detail: string, extra: Record<string, unknown> = {}, status?: number) => {
      const code = status ?? problemBodyStatus(type);
      if (code === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return reply.code(code).type('application/problem+json').send(problemBody(type, detail, request.id, extra));
    };

    // The database is unreachable, restarting or did not answer in time (see isDatabaseUnavailable).
    // A write whose COMMIT was cut off may or may not have happened: 503 all the same, and a retry
    // with the same Idempotency-Key has exactly one effect (the key is claimed in that transaction).
    if (isDatabaseUnavailable(err)) {
      const e = err as { message?: unknown; code?: unknown };
      request.log.warn({ err: { message: String(e.message), code: e.code } }, 'database unavailable');
      return send('unavailable', 'the database is temporarily unavailable; retry later (with the same Idempotency-Key for writes)');
    }
    if (err instanceof Problem) {
      if (err.status >= 500) request.log.error({ err }, 'request failed');
      return send(err.type, err.detail, err.extra);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v) => ({
        path: [err.validationContext ?? 'request', ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'is not valid',
      }));
      return send('validation-error', `${errors.length} field(s) are not valid`, { errors });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err: { message: 'response did not match its schema', method: err.method, url: err.url } }, 'response serialization failed');
      return send('internal', 'the server failed to produce a valid response');
    }
    const status = err.statusCode ?? 500;
    if (status === 429) {
      return send('rate-limited', 'too many requests; retry later', {}, 429);
    }
    if (status >= 400 && status < 500) {
      const type = BY_STATUS[status] ?? 'bad-request';
      const detail = err.code && SAFE_FASTIFY_CODES.has(err.code) ? err.message : problemTitle(type);
      return send(type, detail, {}, status);
    }
    request.log.error({ err }, 'request failed');
    return send('internal', 'an internal error occurred; quote the requestId when reporting it');
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).type('application/problem+json').send(problemBody('not-found', 'no such route', request.id));
  });
}

/**
 * Errors the router raises before any route or error handler runs (a path that
 * is not valid percent-encoding, a path parameter longer than maxParamLength).
 * Passed as Fastify's `frameworkErrors` option so they are problem+json too;
 * the offending path is not echoed back.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const type: ProblemType = tooLong ? 'uri-too-long' : 'bad-request';
  const detail = tooLong ? 'a path parameter is longer than allowed' : 'the URL path is not valid percent-encoded UTF-8';
  void reply.code(problemTypes[type].status).type('application/problem+json').header('x-request-id', request.id).send(problemBody(type, detail, request.id));
}

const problemBodyStatus = (type: ProblemType) => problemTypes[type].status;
const problemTitle = (type: ProblemType) => problemTypes[type].title;
