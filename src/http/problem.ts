/**
 * RFC 9457 problem details. Every error the API returns is one of these
 * types; the `type` URIs are stable, and each is a page of this service.
 */
import { z } from 'zod';

/**
 * The `type` of every problem is a relative URI reference, `/problems/<slug>`,
 * resolved against the request URI (RFC 9457 section 3.1.1, RFC 3986 section 5):
 * it names a page this service serves (GET /problems/<slug>), so it resolves on
 * any deployment without knowing its public URL, and it is the same string on
 * every deployment, so clients can compare it as is.
 */
export const PROBLEM_BASE = '/problems/';

/** Every problem type: its status, its title and what a client should do about it (the page at /problems/<slug>). */
export const problemTypes = {
  'validation-error': { status: 400, title: 'The request is not valid', advice: 'One or more fields of the path, query, headers or body do not match the schema of the operation. The `errors` member lists each field (`path`) and what is wrong with it (`message`). Correct those fields and send the request again; nothing was written.' },
  'bad-request': { status: 400, title: 'Bad request', advice: 'The request could not be understood: for example a body that is not valid JSON, or a path that is not valid percent-encoded UTF-8. Fix the request; nothing was written.' },
  unauthenticated: { status: 401, title: 'Authentication required', advice: 'The operation needs a valid bearer token (a JWT or an API key) in the Authorization header. The token is missing, expired, revoked or not signed by a trusted issuer: obtain a new one and retry.' },
  forbidden: { status: 403, title: 'Not allowed', advice: 'You are authenticated, but your role, your state or your API key scopes do not allow this action on this object (see the `detail`). Ask someone entitled to act, or a key with the right scope; retrying will not help.' },
  'not-found': { status: 404, title: 'Not found', advice: 'There is no such route or object, or you may not see it (objects you may not see answer 404 so that their existence is not revealed). Check the identifier and the URL.' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', advice: 'The route exists but does not accept this HTTP method. See the API documentation (/docs) for the operations of this path.' },
  conflict: { status: 409, title: 'Conflict', advice: 'The request conflicts with the current state of the object (for example it already exists, or it was changed concurrently). Read the object again, then decide whether to retry.' },
  'invalid-transition': { status: 409, title: 'This transition is not allowed in the current state', advice: 'The object is in a status from which this transition is not allowed. `currentStatus` says where it is and `allowedFrom` lists the statuses the transition is allowed from. Read the object again; do not retry blindly.' },
  'organization-not-accredited': { status: 409, title: 'The organisation is not accredited', advice: 'Observer users belong to an observer organisation the members have accredited (GET /v1/observers). The `organizationId` given is unknown or its organisation is suspended. Check the id; a suspended organisation needs a new accreditation before it can have users again.' },
  'precondition-failed': { status: 412, title: 'Precondition failed', advice: 'The If-Match header does not match the current version of the object: someone changed it since you read it. Read it again, reapply your change and send it with the new version.' },
  'payload-too-large': { status: 413, title: 'Request body too large', advice: 'The body exceeds the size the service accepts. Send a smaller body (split a bulk operation into several requests).' },
  'uri-too-long': { status: 414, title: 'A path segment is too long', advice: 'A path parameter is longer than any valid identifier. Check the URL you built.' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', advice: 'The body must be sent as application/json with a matching Content-Type header.' },
  'idempotency-result-unavailable': { status: 409, title: 'The stored result of this idempotency key can no longer be read', advice: 'The request with this Idempotency-Key was carried out, but its stored response can no longer be decrypted (for example after the state withdrew). Read the resulting object directly instead of replaying the key.' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key already used with a different request', advice: 'This Idempotency-Key was already used for a different request. Use a fresh key for every distinct request, and the same key only to retry the very same request.' },
  'rate-limited': { status: 429, title: 'Too many requests', advice: 'You sent more requests than allowed in the current window. Wait (see the Retry-After header) and slow down.' },
  internal: { status: 500, title: 'Internal error', advice: 'The service failed to handle the request; nothing about it is in the response. Quote the `requestId` to the operators when reporting it.' },
  unavailable: { status: 503, title: 'Service unavailable', advice: 'The service cannot reach its database for the moment. Retry after the delay in the Retry-After header; retry a write with the same Idempotency-Key so it takes effect exactly once.' },
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
