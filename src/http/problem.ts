/**
 * RFC 9457 problem details. Every error the API returns is one of these
 * types; the `type` URIs are stable and documented in openapi.yaml.
 */
import { z } from 'zod';

export const PROBLEM_BASE = 'https://poc-directory.example/problems/';

export const problemTypes = {
  'validation-error': { status: 400, title: 'The request is not valid' },
  'bad-request': { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'invalid-transition': { status: 409, title: 'This transition is not allowed in the current state' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'uri-too-long': { status: 414, title: 'A path segment is too long' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'idempotency-result-unavailable': { status: 409, title: 'The stored result of this idempotency key can no longer be read' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key already used with a different request' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ProblemType = keyof typeof problemTypes;

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.status = problemTypes[type].status;
  }
}

export const notFound = (what = 'resource') => new Problem('not-found', `no such ${what}`);
export const forbidden = (detail: string) => new Problem('forbidden', detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) => new Problem('conflict', detail, extra);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    currentStatus: z.string().optional().describe('invalid-transition: the status the object is in'),
    allowedFrom: z.array(z.string()).optional().describe('invalid-transition: the statuses the transition is allowed from'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export function problemBody(type: ProblemType, detail: string, requestId: string, extra: Record<string, unknown> = {}) {
  return { type: PROBLEM_BASE + type, title: problemTypes[type].title, status: problemTypes[type].status, detail, requestId, ...extra };
}
